"""A two-county world with supervisees under supervision in office_a (owner's) and office_b (outsider's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.reintegration import services
from zhengtu.reintegration.models import Need
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.testing.factories import make_supervisee


@dataclass
class Reint:
    world: object
    person_a: Supervisee
    person_a2: Supervisee  # office_a2, same county
    person_b: Supervisee  # the other county


def under_supervision(office: object, **overrides: object) -> Supervisee:
    person = make_supervisee(office, **overrides)
    Supervisee.objects.filter(pk=person.pk).update(status=Status.UNDER_SUPERVISION)
    person.refresh_from_db()
    return person


@pytest.fixture
def reint(world) -> Reint:  # type: ignore[no-untyped-def]
    return Reint(
        world=world,
        person_a=under_supervision(world.office_a, name="王建华", responsible_officer=world.officer_a),
        person_a2=under_supervision(world.office_a2, name="李秀英"),
        person_b=under_supervision(world.office_b, name="赵国强"),
    )


def need_for(user: object, person: Supervisee, *, kind: str = "employment_guidance", days_ago: int = 3) -> Need:
    return services.record_need(
        actor=Actor(user=user),  # type: ignore[arg-type]
        supervisee=person,
        kind=kind,
        description="出矫后待业，希望找到工作",
        found_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )
