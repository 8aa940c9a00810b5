"""Pages of the service ledger: list, record, detail, edit, notes, import/export, hours."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability
from zhengtu.core.downloads import download_response, stored_file_response
from zhengtu.core.pages import add_service_errors
from zhengtu.core.query import int_param
from zhengtu.projects.selectors import get_project_for_user
from zhengtu.supervisees.selectors import get_supervisee_for_user

from . import services
from .exports import XLSX_CONTENT_TYPE, export_ledger, import_template
from .forms import DeleteForm, ImportForm, LedgerFilterForm, NoteForm, ServiceRecordForm
from .hours import (
    hours_history,
    monthly_hours,
    next_month,
    parse_month,
    people_under_supervision,
    previous_month,
)
from .imports import import_ledger
from .models import ServiceKind
from .selectors import (
    attendances_of,
    can_read_counselling_note,
    get_attachment_for_user,
    get_record_for_user,
    ledger,
    records_visible_to,
    visible_attendances,
)


def _filters(request: AuthenticatedRequest) -> tuple[LedgerFilterForm, dict[str, Any]]:
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("project"):
            filters["project_id"] = data["project"].pk
        if data.get("kind"):
            filters["kind"] = data["kind"]
        if data.get("first_day"):
            filters["first_day"] = data["first_day"]
        if data.get("last_day"):
            filters["last_day"] = data["last_day"]
    return form, filters


@login_required
def ledger_list(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_SERVICES)
    form, filters = _filters(request)
    records = ledger(request.user, **filters)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/ledger.html",
        {"form": form, "page": page, "query": query.urlencode(), "kinds": ServiceKind.choices},
    )


@login_required
def ledger_export(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_SERVICES)
    form, filters = _filters(request)
    title = _("Service ledger")
    if "project_id" in filters:
        title = _("Service ledger of %(project)s") % {
            "project": get_project_for_user(request.user, filters["project_id"]).name
        }
    records = ledger(request.user, **filters).order_by("held_on", "pk")
    content = export_ledger(
        actor=Actor.from_request(request),
        records=records,
        title=title,
        filters={key: str(value) for key, value in filters.items()},
    )
    return download_response(content, f"ledger-{timezone.localdate():%Y%m%d}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def record_new(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_SERVICES)
    initial = {"kind": request.GET.get("kind", ServiceKind.EDUCATION), "held_on": timezone.localdate()}
    if (project := int_param(request.GET, "project")) is not None:
        initial["project"] = project
    form = ServiceRecordForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_service(
                actor=Actor.from_request(request),
                project=data["project"],
                kind=data["kind"],
                mode=data["mode"],
                visit_type=data["visit_type"],
                held_on=data["held_on"],
                duration_hours=data["duration_hours"],
                topic=data["topic"],
                lecturer=data["lecturer"],
                pool_lecturer=data["pool_lecturer"],
                place=data["place"],
                materials=data["materials"],
                summary=data["summary"],
                counselling_note=data["counselling_note"],
                attendees=list(data["attendees"]),
                attachments=data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(topic)s with %(count)s supervisees.")
                % {"topic": record.topic, "count": len(data["attendees"])},
            )
            return redirect("services:record", record.pk)
    return render(request, "services/record_form.html", {"form": form, "title": _("Record a service")})


@login_required
def record_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request.user, pk)
    shown, others = visible_attendances(request.user, record)
    note = None
    may_read_note = can_read_counselling_note(request.user, record)
    if may_read_note and request.GET.get("note") == "1":
        note = services.read_counselling_note(actor=Actor.from_request(request), record=record)
    return render(
        request,
        "services/record_detail.html",
        {
            "record": record,
            "attendances": shown,
            "others": others,
            "attachments": record.attachments.all(),
            "may_read_note": may_read_note,
            "has_note": hasattr(record, "counselling_note"),
            "note": note,
            "can_edit": services.can_edit_record(request.user, record),
            "is_counsellor": record.counsellor_id == request.user.pk,
        },
    )


@login_required
def record_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request.user, pk)
    if not services.can_edit_record(request.user, record):
        raise PermissionDenied
    initial = {
        "mode": record.mode,
        "visit_type": record.visit_type,
        "held_on": record.held_on,
        "duration_hours": record.duration_hours,
        "topic": record.topic,
        "lecturer": record.lecturer,
        "pool_lecturer": record.pool_lecturer_id,
        "place": record.place,
        "materials": record.materials,
        "summary": record.summary,
        "attendees": [a.supervisee_id for a in record.attendances.all()],
    }
    form = ServiceRecordForm(
        request.POST or None, request.FILES or None, user=request.user, record=record, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_service(
                actor=Actor.from_request(request),
                record=record,
                mode=data["mode"],
                visit_type=data["visit_type"],
                held_on=data["held_on"],
                duration_hours=data["duration_hours"],
                topic=data["topic"],
                lecturer=data["lecturer"],
                pool_lecturer=data["pool_lecturer"],
                place=data["place"],
                materials=data["materials"],
                summary=data["summary"],
                attendees=list(data["attendees"]),
                attachments=data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("services:record", record.pk)
    return render(request, "services/record_form.html", {"form": form, "title": _("Edit the record"), "record": record})


@login_required
def record_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request.user, pk)
    if not services.can_edit_record(request.user, record):
        raise PermissionDenied
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_service(
                actor=Actor.from_request(request), record=record, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The record was deleted."))
            return redirect("services:ledger")
    return render(request, "services/record_delete.html", {"form": form, "record": record})


@login_required
def record_note(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The counsellor writes the confidential notes of a counselling record."""
    record = get_record_for_user(request.user, pk)
    if record.kind != ServiceKind.COUNSELLING or record.counsellor_id != request.user.pk:
        raise PermissionDenied
    actor = Actor.from_request(request)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.write_counselling_note(actor=actor, record=record, text=form.cleaned_data["text"])
        messages.success(request, _("The notes were saved."))
        return redirect("services:record", record.pk)
    if request.method == "GET":
        form = NoteForm(initial={"text": services.read_counselling_note(actor=actor, record=record)})
    return render(request, "services/record_note.html", {"form": form, "record": record})


@login_required
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    item = get_attachment_for_user(request.user, pk)
    content_type = mimetypes.guess_type(item.original_name)[0] or "application/octet-stream"
    return stored_file_response(item.file, item.original_name, content_type, inline=content_type.startswith("image/"))


@login_required
def ledger_import(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_SERVICES)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_ledger(
            actor=Actor.from_request(request),
            file=form.cleaned_data["file"],
            project=form.cleaned_data["project"],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        if result.created:
            messages.success(request, _("%(count)s records were imported.") % {"count": result.created})
        elif result.errors:
            messages.error(request, _("Nothing was imported. Correct the rows below and import the file again."))
    return render(request, "services/import.html", {"form": form, "result": result})


@login_required
def ledger_import_template(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.RECORD_SERVICES)
    return download_response(import_template(), "ledger-import-template.xlsx", XLSX_CONTENT_TYPE)


@login_required
def hours_overview(request: AuthenticatedRequest) -> HttpResponse:
    """Monthly hours of every supervisee the user works with, shortfalls first."""
    require_capability(request.user, Capability.VIEW_SUPERVISEES)
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    only_short = request.GET.get("short") == "1"
    items = monthly_hours(people_under_supervision(request.user), month)
    items.sort(key=lambda m: (not m.has_shortfall, m.supervisee.name_pinyin))
    if only_short:
        items = [m for m in items if m.has_shortfall]
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "services/hours.html",
        {
            "page": page,
            "month": month,
            "previous": previous_month(month),
            "next": next_month(month),
            "only_short": only_short,
            "short_count": sum(1 for m in items if m.has_shortfall),
        },
    )


@login_required
def person(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One supervisee's service ledger and monthly hours against the rule of their level (audited)."""
    supervisee = get_supervisee_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "services.person"})
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    history = hours_history(supervisee, until=today)
    attendances = attendances_of(supervisee)[:200]
    visible_records = set(
        records_visible_to(request.user).filter(pk__in=[a.record_id for a in attendances]).values_list("pk", flat=True)
    )
    return render(
        request,
        "services/person.html",
        {
            "supervisee": supervisee,
            "history": history,
            "current": monthly_hours([supervisee], month)[0],
            "month": month,
            "attendances": attendances,
            "visible_records": visible_records,
        },
    )
