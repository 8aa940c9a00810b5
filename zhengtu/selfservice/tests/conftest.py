from __future__ import annotations

import pytest

from zhengtu.accounts.roles import Role
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import UserFactory, make_supervisee


def app_account(supervisee: Supervisee, username: str = ""):  # type: ignore[no-untyped-def]
    """Give a supervisee a login account (as staff do in the registry) and return it."""
    account = UserFactory(role=Role.SUPERVISEE, organisation=None, **({"username": username} if username else {}))
    supervisee.user = account
    supervisee.save(update_fields=["user"])
    return account


@pytest.fixture
def me(world):  # type: ignore[no-untyped-def]
    return make_supervisee(world.office_a, responsible_officer=world.officer_a)


@pytest.fixture
def my_account(me):  # type: ignore[no-untyped-def]
    return app_account(me)
