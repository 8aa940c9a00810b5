from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.faces import samples
from zhengtu.selfservice.models import AppDevice
from zhengtu.selfservice.services.devices import COOKIE, _hash, new_device_token
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.testing.factories import UserFactory, make_supervisee


def app_account(supervisee: Supervisee, username: str = ""):  # type: ignore[no-untyped-def]
    """Give a supervisee a login account (as staff do in the registry) and return it."""
    account = UserFactory(role=Role.SUPERVISEE, organisation=None, **({"username": username} if username else {}))
    supervisee.user = account
    supervisee.save(update_fields=["user"])
    return account


def under_supervision(supervisee: Supervisee) -> Supervisee:
    Supervisee.objects.filter(pk=supervisee.pk).update(status=Status.UNDER_SUPERVISION)
    supervisee.refresh_from_db()
    return supervisee


def with_registry_photo(supervisee: Supervisee) -> Supervisee:
    supervisee.photo.save("registry.jpg", ContentFile(samples.first_person()), save=True)
    return supervisee


def confirmed_browser(client, supervisee: Supervisee) -> AppDevice:  # type: ignore[no-untyped-def]
    """Log the person in from a browser already confirmed by a face check."""
    token = new_device_token()
    device = AppDevice.objects.create(
        supervisee=supervisee,
        token_hash=_hash(token),
        label="test browser",
        last_seen_at=timezone.now(),
        face_verified_at=timezone.now(),
    )
    client.force_login(supervisee.user)
    client.cookies[COOKIE] = token
    return device


@pytest.fixture
def me(world):  # type: ignore[no-untyped-def]
    return with_registry_photo(under_supervision(make_supervisee(world.office_a, responsible_officer=world.officer_a)))


@pytest.fixture
def my_account(me):  # type: ignore[no-untyped-def]
    return app_account(me)


@pytest.fixture
def other(world):  # type: ignore[no-untyped-def]
    """Another supervisee of the same office, with their own account."""
    person = with_registry_photo(
        under_supervision(make_supervisee(world.office_a, responsible_officer=world.officer_a))
    )
    app_account(person)
    return person


@pytest.fixture
def app_client(client, me, my_account):  # type: ignore[no-untyped-def]
    confirmed_browser(client, me)
    return client
