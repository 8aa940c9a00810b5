"""Issue 17: family members' phone numbers were listed in clear in the API and on the detail page,
while the person's own were masked. Now they are encrypted at rest and masked when read."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from zhengtu.supervisees.models import FamilyMember
from zhengtu.testing.factories import make_supervisee

pytestmark = pytest.mark.django_db
NUMBER = "13912345678"


@pytest.fixture
def person(world):  # type: ignore[no-untyped-def]
    return make_supervisee(
        world.office_a, name="张三", family_members=[{"name": "张母", "relation": "母亲", "phone": NUMBER}]
    )


def test_the_api_lists_family_phones_masked(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    for url in ("/api/v1/supervisees/", f"/api/v1/supervisees/{person.pk}/"):
        body = client.get(url).content.decode()
        assert NUMBER not in body, url
        assert "139****5678" in body, url


def test_the_detail_page_shows_family_phones_masked(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    page = client.get(reverse("supervisees:detail", args=[person.pk])).content.decode()
    assert NUMBER not in page and "139****5678" in page
    edit = client.get(reverse("supervisees:edit", args=[person.pk])).content.decode()
    assert NUMBER not in edit  # never pre-filled in clear


def test_family_phones_are_encrypted_at_rest(person) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {FamilyMember._meta.db_table}")  # noqa: S608 (a constant table name)
        rows = cursor.fetchall()
    assert rows and all(NUMBER not in " ".join(str(value) for value in row) for row in rows)
    assert person.family_members.get().phone == NUMBER


def test_the_api_writes_a_family_phone_and_blank_keeps_it(client, login, world, person) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    member = person.family_members.get()
    url = f"/api/v1/supervisees/{person.pk}/"
    family = [{"id": member.pk, "name": "张母", "relation": "母亲", "phone": ""}]
    assert client.patch(url, {"family_members": family}, content_type="application/json").status_code == 200
    assert person.family_members.get().phone == NUMBER
    family[0]["phone"] = "13800001111"
    assert client.patch(url, {"family_members": family}, content_type="application/json").status_code == 200
    assert person.family_members.get().phone_masked == "138****1111"


def test_the_migration_encrypts_existing_clear_numbers(person) -> None:  # type: ignore[no-untyped-def]
    migration = importlib.import_module("zhengtu.supervisees.migrations.0004_encrypt_family_phones")

    # Simulate a pre-migration row: the clear number sits where the old column was read from.
    member = person.family_members.get()
    FamilyMember.objects.filter(pk=member.pk).update(phone_encrypted="", phone_masked="")
    rows = [type("Row", (), {"pk": member.pk, "phone": "139 1234-5678"})()]

    class Manager:
        def exclude(self, **kwargs):  # type: ignore[no-untyped-def]
            return self

        def only(self, *args):  # type: ignore[no-untyped-def]
            return self

        def iterator(self):  # type: ignore[no-untyped-def]
            return iter(rows)

        def filter(self, **kwargs):  # type: ignore[no-untyped-def]
            return FamilyMember.objects.filter(**kwargs)

    class OldModel:
        """The model as it was before the migration: rows still carry a clear `phone`."""

        objects = Manager()

    class OldApps:
        @staticmethod
        def get_model(app_label: str, name: str):  # type: ignore[no-untyped-def]
            return OldModel

    migration.encrypt_existing(OldApps, None)
    member.refresh_from_db()
    assert member.phone == NUMBER and member.phone_masked == "139****5678"
