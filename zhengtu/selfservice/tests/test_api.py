"""/api/v1/app/: the supervisee's own token reads and writes only their own data, on every endpoint."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zhengtu.faces import samples
from zhengtu.selfservice.models import AppCheckIn, AppRequest, CheckInStatus, Message, WrittenReport
from zhengtu.testing.factories import TEST_PASSWORD
from zhengtu.workspace.services import notify

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/app/home/",
    "/api/v1/app/check-ins/",
    "/api/v1/app/reports/",
    "/api/v1/app/requests/",
    "/api/v1/app/messages/",
    "/api/v1/app/notifications/",
    "/api/v1/app/activities/",
]


def token_for(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": TEST_PASSWORD, "otp_token": ""},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _check_in(client, auth) -> dict:  # type: ignore[no-untyped-def,type-arg]
    nonce = client.post("/api/v1/app/check-ins/challenge/", **auth).json()["nonce"]
    response = client.post(
        "/api/v1/app/check-ins/",
        {
            "nonce": nonce,
            "photo": SimpleUploadedFile("c.jpg", samples.first_person_variant(), content_type="image/jpeg"),
            "latitude": "27.9",
            "longitude": "110.6",
            "accuracy": "12",
        },
        **auth,
    )
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_check_in_through_the_api(client, me, my_account) -> None:  # type: ignore[no-untyped-def]
    auth = token_for(my_account)
    body = _check_in(client, auth)
    assert body["status"] == CheckInStatus.ACCEPTED
    assert body["similarity"] >= 0.5
    listed = client.get("/api/v1/app/check-ins/", **auth).json()
    assert [item["id"] for item in listed] == [body["id"]]


def test_api_posts_are_idempotent(client, me, my_account) -> None:  # type: ignore[no-untyped-def]
    auth = {**token_for(my_account), "HTTP_IDEMPOTENCY_KEY": "api-message-0001"}
    first = client.post("/api/v1/app/messages/", {"body": "你好"}, content_type="application/json", **auth)
    again = client.post("/api/v1/app/messages/", {"body": "你好"}, content_type="application/json", **auth)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replay"] == "true"
    assert Message.objects.count() == 1


def test_a_token_reads_only_its_own_persons_data_on_every_endpoint(client, me, my_account, other, world) -> None:  # type: ignore[no-untyped-def]
    other_auth = token_for(other.user)
    _check_in(client, other_auth)
    client.post("/api/v1/app/reports/", {"text": "别人的汇报"}, **other_auth)
    client.post("/api/v1/app/messages/", {"body": "别人的消息"}, content_type="application/json", **other_auth)
    start = timezone.localdate() + dt.timedelta(days=3)
    client.post(
        "/api/v1/app/requests/",
        {
            "kind": "leave",
            "data": {"start_date": str(start), "end_date": str(start), "destination": "别处", "reason": "别人的理由"},
        },
        content_type="application/json",
        **other_auth,
    )
    notify([other.user], title="别人的通知")
    from decimal import Decimal

    from zhengtu.selfservice.models import Activity

    Activity.objects.create(
        office=world.office_b,
        title="别人的活动",
        place="别处",
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        hours=Decimal("1"),
    )
    assert AppCheckIn.objects.filter(supervisee=other).exists()
    assert WrittenReport.objects.filter(supervisee=other).exists()
    assert AppRequest.objects.filter(supervisee=other).exists()

    mine = token_for(my_account)
    for url in READS:
        response = client.get(url, **mine)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "别人" not in text, url
    # The other person's check-in is not in my list, whatever its id.
    other_id = AppCheckIn.objects.get(supervisee=other).pk
    assert other_id not in [item["id"] for item in client.get("/api/v1/app/check-ins/", **mine).json()]


def test_staff_tokens_and_anonymous_clients_are_refused(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    for url in READS:
        assert client.get(url).status_code == 403, url
    anonymous = Client()
    for url in READS:
        assert anonymous.get(url).status_code in (401, 403), url


def test_the_app_api_is_in_the_openapi_schema(client, db) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/app/home/",
        "/api/v1/app/check-ins/challenge/",
        "/api/v1/app/check-ins/",
        "/api/v1/app/messages/",
    ]:
        assert path in schema
