"""The figures other apps keep the records of: flagged app check-ins, missed spot checks, absconding searches,
and supervisees whose juvenile case is sealed (left out of every table)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhengtu.command.figures import Figure, get_figure
from zhengtu.command.periods import parse_period
from zhengtu.command.tables import figure_table
from zhengtu.juvenile.models import JuvenileCase
from zhengtu.selfservice.models import AppCheckIn, CheckInChallenge, CheckInStatus, SpotCheck, SpotCheckStatus
from zhengtu.supervision.models.absconding import SearchRecord, SearchTrigger

from .conftest import TODAY

pytestmark = pytest.mark.django_db
DECEMBER = parse_period("2026-12", today=TODAY)
NOON = timezone.make_aware(dt.datetime(2026, 12, 3, 12))


def _check_in(person, *, flags: list[str], status: str) -> AppCheckIn:  # type: ignore[no-untyped-def]
    from zhengtu.faces.models import FaceCheck

    face = FaceCheck.objects.create(
        supervisee=person, purpose=FaceCheck._meta.get_field("purpose").choices[0][0],
        outcome=FaceCheck._meta.get_field("outcome").choices[0][0], threshold=0.5, engine="test",
    )  # fmt: skip
    challenge = CheckInChallenge.objects.create(supervisee=person, nonce=f"n{face.pk}", issued_at=NOON)
    return AppCheckIn.objects.create(
        supervisee=person, face_check=face, challenge=challenge, latitude=27.9, longitude=110.6, accuracy_m=20,
        received_at=NOON, status=status, flags=flags,
    )  # fmt: skip


def _total(user, key: str) -> int:  # type: ignore[no-untyped-def]
    figure = get_figure(key)
    assert isinstance(figure, Figure), f"{key} is still a placeholder"
    return figure_table(user, figure, DECEMBER, today=TODAY).grand_total


def test_flagged_check_ins_missed_spot_checks_and_searches_are_counted_in_scope(stats) -> None:  # type: ignore[no-untyped-def]
    person, outsider = stats.people_a[0], stats.people_b[0]
    for who in (person, outsider):
        _check_in(who, flags=["face"], status=CheckInStatus.FLAGGED)
        SpotCheck.objects.create(supervisee=who, requested_at=NOON, due_at=NOON, status=SpotCheckStatus.MISSED)
        SearchRecord.objects.create(supervisee=who, trigger=SearchTrigger.values[0], lost_contact_at=NOON)
    _check_in(person, flags=[], status=CheckInStatus.values[0])
    bureau = stats.world.bureau_a
    assert _total(bureau, "supervision.flagged_app_check_ins") == 1  # the unflagged one is not counted
    assert _total(bureau, "supervision.missed_spot_checks") == 1
    assert _total(bureau, "supervision.absconding") == 1
    assert _total(stats.world.officer_b, "supervision.absconding") == 1


def test_a_supervisee_with_a_sealed_juvenile_case_is_not_counted(stats) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.juvenile.models import ReferrerKind, ServiceType
    from zhengtu.juvenile.selectors import sealed_supervisee_ids

    bureau = stats.world.bureau_a
    before = _total(bureau, "registry.in_register_by_type")
    person = stats.people_a[1]
    JuvenileCase.objects.create(
        number="溆未社〔2026〕1号", service_type=ServiceType.values[0], child_name=person.name, sex=person.sex,
        birth_date=person.birth_date, county=stats.world.county_a, referrer_kind=ReferrerKind.values[0],
        referred_on=dt.date(2024, 5, 6), supervisee=person, sealed_at=NOON,
    )  # fmt: skip
    assert sealed_supervisee_ids(bureau) == {person.pk}
    assert _total(bureau, "registry.in_register_by_type") == before - 1
