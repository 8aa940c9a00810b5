"""Reads of the service ledger. Scope is decided here and only here: default deny.

A record is visible to whoever may see its project (projects.selectors), to users of the
organisation that held it (and the organisations above), and to its counsellor and recorder.
Attendees are shown by name only when the reader may see that supervisee; counselling notes
only to the counsellor and the project's supervisor (never to colleagues, nor superusers).

Scope alone is not enough: a prosecutor's procuratorate hangs under the bureau that buys the
projects, so without a capability check every record (page, API and attachments) was readable
by someone refused the ledger. Only roles that work with the records read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from zhengtu.accounts.roles import Capability, can, is_supervisee
from zhengtu.core.lookups import get_or_404
from zhengtu.projects.selectors import is_project_supervisor, projects_visible_to
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import ServiceAttachment, ServiceAttendance, ServiceKind, ServiceRecord

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee


# Recording services (the ledger), managing the projects they belong to, or supervising the
# people who attended (the hours overview links each person's records).
RECORD_READING_CAPABILITIES = (Capability.RECORD_SERVICES, Capability.MANAGE_PROJECTS, Capability.VIEW_SUPERVISEES)


def records_visible_to(user: User) -> QuerySet[ServiceRecord]:
    if not user.is_authenticated or not user.is_active:
        return ServiceRecord.objects.none()
    if user.is_superuser:
        return ServiceRecord.objects.all()
    if is_supervisee(user):
        return ServiceRecord.objects.none()
    if not any(can(user, capability) for capability in RECORD_READING_CAPABILITIES):
        return ServiceRecord.objects.none()
    scope = Q(project__in=projects_visible_to(user).values("pk")) | Q(counsellor=user) | Q(recorded_by=user)
    if user.organisation is not None:
        scope |= Q(organisation__path__startswith=user.organisation.path)
    return ServiceRecord.objects.filter(scope)


def get_record_for_user(user: User, pk: object) -> ServiceRecord:
    """The one way to fetch a record named in a URL: 404 outside the user's scope."""
    return get_or_404(
        records_visible_to(user).select_related("project", "organisation", "counsellor", "recorded_by"), pk
    )


def get_attachment_for_user(user: User, pk: object) -> ServiceAttachment:
    attachment = get_or_404(ServiceAttachment.objects.select_related("record"), pk)
    if not records_visible_to(user).filter(pk=attachment.record_id).exists():
        raise Http404
    return attachment


def can_read_counselling_note(user: User, record: ServiceRecord) -> bool:
    """Only the counsellor and the supervisor (督导) of the record's project."""
    if record.kind != ServiceKind.COUNSELLING or not user.is_authenticated or not user.is_active:
        return False
    if record.counsellor_id is not None and record.counsellor_id == user.pk:
        return True
    return is_project_supervisor(user, record.project_id, on=record.held_on) or is_project_supervisor(
        user, record.project_id
    )


def visible_attendances(user: User, record: ServiceRecord) -> tuple[list[ServiceAttendance], int]:
    """The attendances the user may see by name, and how many others took part."""
    rows = list(record.attendances.select_related("supervisee").order_by("supervisee__name_pinyin"))
    visible_ids = set(
        supervisees_visible_to(user).filter(pk__in=[r.supervisee_id for r in rows]).values_list("pk", flat=True)
    )
    shown = [r for r in rows if r.supervisee_id in visible_ids]
    return shown, len(rows) - len(shown)


def ledger(
    user: User,
    *,
    project_id: int | None = None,
    kind: str = "",
    first_day: object = None,
    last_day: object = None,
    supervisee: Supervisee | None = None,
) -> QuerySet[ServiceRecord]:
    """Records in scope, filtered, newest first, with attendance counts ready."""
    records = records_visible_to(user).select_related("project", "organisation", "recorded_by")
    if project_id is not None:
        records = records.filter(project_id=project_id)
    if kind:
        records = records.filter(kind=kind)
    if first_day is not None:
        records = records.filter(held_on__gte=first_day)
    if last_day is not None:
        records = records.filter(held_on__lte=last_day)
    if supervisee is not None:
        records = records.filter(attendances__supervisee=supervisee)
    return records.prefetch_related(
        Prefetch("attendances", queryset=ServiceAttendance.objects.select_related("supervisee"))
    ).order_by("-held_on", "-pk")


def attendances_of(supervisee: Supervisee) -> QuerySet[ServiceAttendance]:
    """A supervisee's own ledger; the caller has fetched the supervisee through its scoped selector."""
    return (
        ServiceAttendance.objects.filter(supervisee=supervisee)
        .select_related("record", "record__project", "record__organisation")
        .order_by("-held_on", "-record_id")
    )
