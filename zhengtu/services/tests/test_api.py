import pytest
from django.urls import reverse

from zhengtu.services.models import RecordSource, ServiceRecord
from zhengtu.services.tests.conftest import person


def payload(pw, people, **overrides):
    data = {
        "project": pw.project.pk,
        "kind": "community_service",
        "held_on": "2026-03-07",
        "duration_hours": "3",
        "topic": "敬老院清扫",
        "place": "卢峰镇敬老院",
        "attendee_ids": [p.pk for p in people],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_and_list_service_records(client, login, pw, people):
    login(client, pw.worker)
    response = client.post(reverse("api-service-records"), payload(pw, people), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attendee_count"] == 3 and {a["id"] for a in body["attendees"]} == {p.pk for p in people}
    assert ServiceRecord.objects.get().source == RecordSource.API
    listing = client.get(reverse("api-service-records") + f"?project={pw.project.pk}&kind=community_service")
    assert listing.status_code == 200 and listing.json()["count"] == 1
    assert client.get(reverse("api-service-records") + "?from=2026-04-01").json()["count"] == 0
    assert client.get(reverse("api-service-records") + "?from=not-a-date").status_code == 400


@pytest.mark.django_db
def test_errors_are_in_chinese_and_do_not_reveal_people_outside_scope(client, login, pw, people, world):
    stranger = person(world.office_b, name="辰溪某人")
    login(client, pw.worker)
    response = client.post(
        reverse("api-service-records"), payload(pw, [*people, stranger]), content_type="application/json"
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"编号{stranger.pk}的社区矫正对象不在您负责的范围内" in text and "辰溪某人" not in text
    response = client.post(
        reverse("api-service-records"), payload(pw, people, duration_hours="0"), content_type="application/json"
    )
    assert response.status_code == 400 and "请填写时长" in response.content.decode()
    assert not ServiceRecord.objects.exists()


@pytest.mark.django_db
def test_outsiders_cannot_read_or_write(client, login, pw, people, world):
    login(client, pw.worker)
    created = client.post(reverse("api-service-records"), payload(pw, people), content_type="application/json").json()
    login(client, world.officer_b)
    assert client.get(reverse("api-service-record", args=[created["id"]])).status_code == 404
    assert client.get(reverse("api-service-records")).json()["count"] == 0
    response = client.post(reverse("api-service-records"), payload(pw, people), content_type="application/json")
    assert response.status_code == 400 and "您不能向该项目添加记录" in response.content.decode()
    login(client, pw.bureau)  # no RECORD_SERVICES capability
    assert (
        client.post(reverse("api-service-records"), payload(pw, people), content_type="application/json").status_code
        == 403
    )
