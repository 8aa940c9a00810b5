"""Excel export of the needs list (the same filters as the page), audited. Cells go through core.spreadsheets."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.spreadsheets import NEUTRALISED_NOTE, append_row

from .models import Need

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_needs(*, actor: Actor, needs: QuerySet[Need], filters: dict[str, str]) -> bytes:
    """The workbook of needs already scoped to the reader (selectors.list_needs); contact phones stay masked."""
    user = actor.user
    assert user is not None
    with translation.override(settings.LANGUAGE_CODE):
        content, count = _workbook(user, needs)
    record_event(
        actor,
        action=Action.EXPORT,
        object_type="reintegration.need",
        object_label=_("Help with returning to society"),
        detail={"records": count, "filters": filters},
    )
    return content


def _workbook(user: User, needs: QuerySet[Need]) -> tuple[bytes, int]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Needs"))
    append_row(sheet, [_("Help with returning to society")])
    append_row(
        sheet,
        [
            _("Exported %(when)s by %(who)s")
            % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "who": user.display_name},
            str(NEUTRALISED_NOTE),
        ],
    )
    append_row(
        sheet,
        [
            _("Supervisee"),
            _("Responsible office"),
            _("kind of need"),
            _("found by"),
            _("found on"),
            pgettext("reintegration", "description"),
            _("status"),
            _("Referrals"),
            pgettext("reintegration", "What was done"),
            _("outcome"),
            _("outcome date"),
            _("notes on the outcome"),
        ],
    )
    count = 0
    for need in needs.select_related("supervisee__responsible_office").prefetch_related("referrals", "actions"):
        count += 1
        referrals = "；".join(
            f"{r.referred_on:%Y-%m-%d} {r.get_agency_kind_display()} {r.agency_name} {r.contact_name} "
            f"{r.contact_phone_masked}".strip()
            for r in need.referrals.all()
        )
        actions = "；".join(f"{a.done_on:%Y-%m-%d} {a.description}" for a in need.actions.all())
        append_row(
            sheet,
            [
                need.supervisee.name,
                need.supervisee.responsible_office.name,
                need.get_kind_display(),
                need.get_source_display(),
                need.found_on,
                need.description,
                need.get_status_display(),
                referrals,
                actions,
                need.get_outcome_display() if need.outcome else "",
                need.outcome_on,
                need.outcome_notes,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
