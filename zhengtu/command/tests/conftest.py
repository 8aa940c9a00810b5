"""Command-centre fixtures: people in two counties with a few records of each kind, and staff of each role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import SentenceType, Status, Supervisee, SupervisionLevel
from zhengtu.supervision.models import CheckIn, CheckInChannel, CheckInKind, Termination, TerminationReason
from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

TODAY = dt.date(2026, 12, 7)


@dataclass
class Stats:
    world: object
    command_a: User
    prosecutor_a: User
    people_a: list[Supervisee]
    people_a2: list[Supervisee]
    people_b: list[Supervisee]


def _person(office: Organisation, **fields: object) -> Supervisee:
    person = make_supervisee(office, **fields)
    Supervisee.objects.filter(pk=person.pk).update(status=fields.get("status", Status.UNDER_SUPERVISION))
    person.refresh_from_db()
    return person


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def stats(world) -> Stats:  # type: ignore[no-untyped-def]
    centre = make_org("溆浦县社区矫正指挥中心", OrganisationKind.COMMAND_CENTER, world.county_a)
    prosecutors = make_org("溆浦县人民检察院", OrganisationKind.PROCURATORATE, world.county_a)
    start = dt.date(2026, 3, 1)
    people_a = [
        _person(
            world.office_a,
            sentence_type=SentenceType.PROBATION,
            supervision_level=SupervisionLevel.STRICT,
            term_start=start,
        ),
        _person(
            world.office_a,
            sentence_type=SentenceType.PAROLE,
            supervision_level=SupervisionLevel.STANDARD,
            term_start=start,
        ),
        _person(
            world.office_a,
            sentence_type=SentenceType.PROBATION,
            supervision_level=SupervisionLevel.STANDARD,
            term_start=dt.date(2026, 12, 2),
        ),
    ]
    people_a2 = [_person(world.office_a2, sentence_type=SentenceType.CONTROL, term_start=start)]
    people_b = [
        _person(world.office_b, sentence_type=SentenceType.PROBATION, term_start=start),
        _person(world.office_b, sentence_type=SentenceType.OUTSIDE_PRISON, term_start=dt.date(2026, 12, 3)),
    ]
    # One of office_a's people was terminated in December: no longer in register at the end of the month.
    terminated = _person(
        world.office_a, sentence_type=SentenceType.PROBATION, term_start=start, status=Status.TERMINATED
    )
    Termination.objects.create(
        supervisee=terminated, reason=TerminationReason.REVOCATION, effective_on=dt.date(2026, 12, 4)
    )
    for person in [*people_a, *people_b]:
        CheckIn.objects.create(
            supervisee=person,
            kind=CheckInKind.CHECK_IN,
            channel=CheckInChannel.IN_PERSON,
            occurred_on=dt.date(2026, 12, 5),
        )
    return Stats(
        world=world,
        command_a=UserFactory(organisation=centre, role=Role.COMMAND_CENTER),
        prosecutor_a=UserFactory(organisation=prosecutors, role=Role.PROSECUTOR),
        people_a=people_a,
        people_a2=people_a2,
        people_b=people_b,
    )
