"""/api/v1/supervisees/: same scope (404 outside), same rules, same audit as the pages."""

from __future__ import annotations

import pytest

from zhengtu.audit.models import Action, AuditEntry, Outcome
from zhengtu.supervisees.models import Assignment, AssignmentRole, Supervisee
from zhengtu.testing.factories import make_supervisee

from .builders import identity

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervisees/"


@pytest.fixture
def person(world):  # type: ignore[no-untyped-def]
    return make_supervisee(world.office_a, name="张三", phone="13812345678")


def payload(office, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "李四",
        "identity_number": identity(sequence=21),
        "phone": "13900001111",
        "sentence_type": "parole",
        "crime": "诈骗罪",
        "deciding_organ": "怀化市中级人民法院",
        "term_start": "2026-03-01",
        "term_months": 8,
        "responsible_office": office.pk,
        "family_members": [{"name": "李母", "relation": "母亲"}],
    }
    data.update(overrides)
    return data


def test_list_is_scoped_masked_and_filtered(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_b, name="王五")
    make_supervisee(world.office_a, name="赵六", supervision_level="strict")
    login(client, world.officer_a)
    body = client.get(BASE).json()
    assert {r["name"] for r in body["results"]} == {"张三", "赵六"} and body["count"] == 2
    row = next(r for r in body["results"] if r["name"] == "张三")
    assert row["identity_number_masked"] == person.identity_number_masked
    assert "identity_number" not in row and "phone" not in row
    assert person.identity_number not in str(body) and "13812345678" not in str(body)
    assert [r["name"] for r in client.get(BASE, {"q": "zs"}).json()["results"]] == ["张三"]
    assert [r["name"] for r in client.get(BASE, {"supervision_level": "strict"}).json()["results"]] == ["赵六"]
    assert [r["name"] for r in client.get(BASE, {"q": person.identity_number}).json()["results"]] == ["张三"]


def test_bad_filters_are_400_with_chinese_messages(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get(BASE, {"office": world.office_b.pk, "status": "nonsense"})
    assert response.status_code == 400
    errors = response.json().get("errors", response.json())  # the project's error shape, or DRF's own
    assert set(errors) == {"office", "status"}
    assert "不是合法选项" in errors["status"][0]


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("get", "", None),
        ("patch", "", {"notes": "x"}),
        ("put", "", {}),
        ("post", "reveal/", {"field": "identity_number"}),
    ],
)
def test_outsider_gets_404(client, login, world, person, method, suffix, data) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_b)
    response = getattr(client, method)(f"{BASE}{person.pk}/{suffix}", data, content_type="application/json")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__in=[Action.VIEW, Action.REVEAL, Action.UPDATE]).exists()
    person.refresh_from_db()
    assert person.notes == ""


def test_anonymous_gets_401_or_403(client, person) -> None:  # type: ignore[no-untyped-def]
    assert client.get(BASE).status_code in (401, 403)
    assert client.get(f"{BASE}{person.pk}/").status_code in (401, 403)


def test_retrieve_is_audited_as_a_view(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    body = client.get(f"{BASE}{person.pk}/").json()
    assert body["name"] == "张三" and body["birth_date"] == person.birth_date.isoformat()
    entry = AuditEntry.objects.get(action=Action.VIEW)
    assert (entry.username, entry.object_id) == (world.officer_a.username, str(person.pk))


def test_reveal_is_audited_and_needs_the_capability(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(f"{BASE}{person.pk}/reveal/", {"field": "phone"}, content_type="application/json")
    assert response.json() == {"field": "phone", "value": "13812345678"}
    response = client.post(f"{BASE}{person.pk}/reveal/", {}, content_type="application/json")
    assert response.json()["value"] == person.identity_number
    assert AuditEntry.objects.filter(action=Action.REVEAL, outcome=Outcome.SUCCESS).count() == 2
    Assignment.objects.create(supervisee=person, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER)
    login(client, world.social_worker_a)
    response = client.post(f"{BASE}{person.pk}/reveal/", {}, content_type="application/json")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=Action.REVEAL, outcome=Outcome.DENIED).count() == 1


def test_create_through_the_service(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.post(BASE, payload(world.office_a), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["term_end"] == "2026-10-31" and body["sex"] == "male"
    assert body["identity_number_masked"].startswith("4312") and "identity_number" not in body
    person = Supervisee.objects.get(pk=body["id"])
    assert [m.name for m in person.family_members.all()] == ["李母"]
    assert AuditEntry.objects.filter(action=Action.CREATE, object_id=str(person.pk)).exists()


def test_create_errors_are_per_field_in_chinese(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    bad = identity(sequence=21)[:-1] + ("0" if identity(sequence=21)[-1] != "0" else "1")
    response = client.post(BASE, payload(world.office_b, identity_number=bad), content_type="application/json")
    assert response.status_code == 400
    errors = response.json().get("errors", response.json())
    assert "校验码" in errors["identity_number"][0]
    assert "下属机构" in errors["responsible_office"][0]
    assert not Supervisee.objects.exists()
    response = client.post(BASE, {"name": "x"}, content_type="application/json")
    errors = response.json().get("errors", response.json())
    assert response.status_code == 400 and errors["crime"] == ["该字段是必填项。"]


def test_update_patch_and_put(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.patch(f"{BASE}{person.pk}/", {"supervision_level": "strict"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["supervision_level"] == "strict"
    put = payload(world.office_a, name="张叁", identity_number="")
    response = client.put(f"{BASE}{person.pk}/", put, content_type="application/json")
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.name, person.crime, person.identity_number_masked[:4]) == ("张叁", "诈骗罪", "4312")
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(person.pk)).count() == 2


def test_users_who_cannot_edit_get_403_on_writes(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    Assignment.objects.create(supervisee=person, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER)
    login(client, world.social_worker_a)
    assert client.get(f"{BASE}{person.pk}/").status_code == 200
    response = client.patch(f"{BASE}{person.pk}/", {"notes": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert client.post(BASE, payload(world.office_a), content_type="application/json").status_code == 403
