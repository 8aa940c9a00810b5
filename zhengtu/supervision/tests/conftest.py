"""Supervision fixtures: supervisees of office A (pending, and under supervision), actors, dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervision.services.intake import TeamMemberInput, register_intake
from zhengtu.testing.factories import UserFactory, make_supervisee


def actor(user: User) -> Actor:
    return Actor(user=user, ip_address="127.0.0.1")


def today() -> dt.date:
    return timezone.localdate()


def pending_supervisee(office: Organisation, **overrides: object) -> Supervisee:
    """Registered in the registry, waiting for intake; the term runs about a year either side of today."""
    fields: dict[str, object] = {"term_start": today() - dt.timedelta(days=60), "term_months": 24}
    fields.update(overrides)
    return make_supervisee(office, **fields)


def supervised(office: Organisation, officer: User, **overrides: object) -> Supervisee:
    """A supervisee whose intake was registered through the real service."""
    supervisee = pending_supervisee(office, **overrides)
    register_intake(
        actor=actor(officer),
        supervisee=supervisee,
        reported_on=today() - dt.timedelta(days=30),
        initial_level="standard",
        announced_on=today() - dt.timedelta(days=30),
        announcement_place="卢峰司法所宣告室",
        team=[TeamMemberInput(role="officer", name=officer.display_name, user=officer)],
    )
    supervisee.refresh_from_db()
    return supervisee


@dataclass
class People:
    supervisee: Supervisee
    city_admin: User
    bureau_b: User


@pytest.fixture
def people(world):  # type: ignore[no-untyped-def]
    return People(
        supervisee=supervised(world.office_a, world.officer_a),
        city_admin=UserFactory(organisation=world.city, role=Role.BUREAU_ADMIN),
        bureau_b=UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN),
    )
