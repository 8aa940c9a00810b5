"""Check-ins, written reports and visits, with attachments; what is due follows the level's frequency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from zhengtu.supervision.models import DueItem, DueKind
from zhengtu.supervision.selectors import attachments_of
from zhengtu.supervision.services.daily import record_check_in, record_visit
from zhengtu.supervision.services.due import refresh_due_items
from zhengtu.supervision.services.levels import review_supervision_level

from ..conftest import actor, today


def _due(supervisee) -> dict[str, dt.date]:  # type: ignore[no-untyped-def]
    return dict(DueItem.objects.filter(supervisee=supervisee).values_list("kind", "due_on"))


def test_overdue_check_ins_reports_and_visits_appear_and_clear(people, world) -> None:  # type: ignore[no-untyped-def]
    # Reported 30 days ago at the standard level: check-in every 14 days, report 30, visit 60.
    due = _due(people.supervisee)
    reported = today() - dt.timedelta(days=30)
    assert due[DueKind.CHECK_IN] == reported + dt.timedelta(days=14)
    assert due[DueKind.WRITTEN_REPORT] == reported + dt.timedelta(days=30)
    assert DueKind.VISIT not in due
    record_check_in(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind="checkin",
        channel="in_person",
        occurred_on=today(),
    )
    assert DueKind.CHECK_IN not in _due(people.supervisee)


def test_a_stricter_level_makes_things_due_sooner(people, world) -> None:  # type: ignore[no-untyped-def]
    review_supervision_level(
        actor=actor(world.officer_a), supervisee=people.supervisee, to_level="strict", reason="复查"
    )
    due = _due(people.supervisee)
    assert due[DueKind.VISIT] == today() - dt.timedelta(days=30) + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        review_supervision_level(
            actor=actor(world.officer_a), supervisee=people.supervisee, to_level="lenient", reason=" "
        )


@override_settings(ZHENGTU_SUPERVISION_FREQUENCIES={"standard": {"checkin_days": 60}})
def test_frequencies_are_settings(people) -> None:  # type: ignore[no-untyped-def]
    refresh_due_items(supervisee_ids=[people.supervisee.pk])
    assert DueKind.CHECK_IN not in _due(people.supervisee)


def test_a_written_report_with_a_scan_goes_to_the_work_file(people, world) -> None:  # type: ignore[no-untyped-def]
    scan = SimpleUploadedFile("思想汇报.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    report = record_check_in(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind="written_report",
        channel="written",
        occurred_on=today(),
        attachments=[scan],
    )
    attachment = attachments_of(people.supervisee, report).get()
    assert attachment.in_work_archive and not attachment.in_execution_archive


def test_an_empty_written_report_or_a_future_date_is_refused(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        record_check_in(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            kind="written_report",
            channel="app",
            occurred_on=today(),
        )
    with pytest.raises(ValidationError):
        record_check_in(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            kind="checkin",
            channel="phone",
            occurred_on=today() + dt.timedelta(days=1),
        )


def test_a_visit_records_place_notes_and_photos(people, world) -> None:  # type: ignore[no-untyped-def]
    photo = SimpleUploadedFile("走访.jpg", b"\xff\xd8\xff\xe0", content_type="image/jpeg")
    visit = record_visit(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind="focus",
        visited_on=today(),
        place="卢峰镇某村",
        notes="在家务农，情绪稳定",
        photos=[photo],
    )
    assert attachments_of(people.supervisee, visit).count() == 1
    with pytest.raises(ValidationError) as error:
        record_visit(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            kind="odd",
            visited_on=today(),
            place="",
            notes="",
        )
    assert set(error.value.message_dict) == {"kind", "place", "notes"}


def test_people_without_the_capability_cannot_record(people, world) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    prosecutor = UserFactory(organisation=world.office_a, role=Role.PROSECUTOR)
    with pytest.raises(PermissionDenied):
        record_check_in(
            actor=actor(prosecutor), supervisee=people.supervisee, kind="checkin", channel="phone", occurred_on=today()
        )
