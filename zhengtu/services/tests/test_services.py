import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.projects.models import ProjectStatus
from zhengtu.services.models import ServiceAttendance, ServiceKind, ServiceMode, ServiceRecord
from zhengtu.services.services import delete_service, record_service, update_service
from zhengtu.services.tests.conftest import actor, assign, person

MARCH = dt.date(2026, 3, 10)


def education(user, people, project, **overrides):
    fields = {
        "actor": actor(user),
        "project": project,
        "kind": ServiceKind.EDUCATION,
        "held_on": MARCH,
        "duration_hours": Decimal("2"),
        "topic": "宪法学习",
        "attendees": people,
    }
    fields.update(overrides)
    return record_service(**fields)


@pytest.mark.django_db
def test_recording_a_group_session_credits_every_attendee_and_is_audited(pw, people):
    record = education(pw.worker, people, pw.project, lecturer="李老师", place="县司法局")
    assert record.organisation == pw.project.agency
    assert list(record.attendances.values_list("hours", flat=True)) == [Decimal("2.0")] * 3
    assert set(ServiceAttendance.objects.values_list("held_on", "kind")) == {(MARCH, ServiceKind.EDUCATION)}
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="services.servicerecord").count() == 1


@pytest.mark.django_db
def test_attendees_must_be_people_the_recorder_works_with(pw, people, world):
    stranger = person(world.office_a)  # same office, not assigned to the social worker
    with pytest.raises(ValidationError) as caught:
        education(pw.worker, [*people, stranger], pw.project)
    assert "不在您负责的社区矫正对象范围内" in " ".join(caught.value.message_dict["attendees"])
    assert ServiceRecord.objects.count() == 0


@pytest.mark.django_db
def test_rules_on_dates_modes_and_terms(pw, people, world):
    with pytest.raises(ValidationError) as caught:
        education(pw.worker, people, pw.project, held_on=dt.date(2025, 12, 30))
    assert "held_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        education(pw.worker, people, pw.project, mode=ServiceMode.INDIVIDUAL)
    assert "attendees" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        education(pw.worker, people, pw.project, duration_hours=Decimal("0"))
    assert "duration_hours" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        education(pw.worker, people, pw.project, kind=ServiceKind.VISIT)
    assert "visit_type" in caught.value.message_dict
    late = person(world.office_a, term_start=dt.date(2026, 4, 1))
    assign(pw.worker, [late])
    with pytest.raises(ValidationError) as caught:
        education(pw.worker, [late], pw.project)
    assert "不在社区矫正期内" in " ".join(caught.value.message_dict["attendees"])
    with pytest.raises(ValidationError):
        education(pw.worker, people, pw.project, held_on=dt.date(2099, 1, 1))


@pytest.mark.django_db
def test_only_the_agencys_staff_record_in_its_project_and_not_once_closed(pw, people, world):
    with pytest.raises(ValidationError) as caught:
        education(pw.other_agency_manager, people, pw.project)
    assert "project" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        education(pw.bureau, people, pw.project)  # bureau admins do not record services
    pw.project.status = ProjectStatus.CLOSED
    pw.project.save()
    with pytest.raises(ValidationError):
        education(pw.worker, people, pw.project)


@pytest.mark.django_db
def test_an_office_records_its_own_sessions_without_a_project(world, people):
    own = person(world.office_a)
    record = education(world.officer_a, [own], None)
    assert record.organisation == world.office_a and record.project is None


@pytest.mark.django_db
def test_editing_keeps_attendees_the_editor_cannot_see_and_moves_their_hours(pw, people, world):
    other = person(world.office_a)
    assign(pw.colleague, [other])
    record = education(pw.colleague, [other], pw.project)
    # The project manager edits it: they cannot see `other`, who must stay on the record.
    assign(pw.manager, people)
    update_service(
        actor=actor(pw.manager),
        record=record,
        held_on=MARCH,
        duration_hours=Decimal("3"),
        topic="宪法学习（补课）",
        mode=ServiceMode.GROUP,
        attendees=people,
    )
    hours = dict(ServiceAttendance.objects.filter(record=record).values_list("supervisee_id", "hours"))
    assert hours == {p.pk: Decimal("3.0") for p in [*people, other]}


@pytest.mark.django_db
def test_deleting_needs_a_reason_and_the_right_person(pw, people):
    record = education(pw.worker, people, pw.project)
    with pytest.raises(PermissionDenied):
        delete_service(actor=actor(pw.colleague), record=record, reason="录错了")
    with pytest.raises(ValidationError):
        delete_service(actor=actor(pw.worker), record=record, reason=" ")
    delete_service(actor=actor(pw.worker), record=record, reason="录错了")
    assert not ServiceRecord.objects.exists() and not ServiceAttendance.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, detail__reason="录错了").exists()
