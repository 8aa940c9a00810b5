"""Instrument pages: list, import a workbook (every problem listed), look inside, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_rule
from zhengtu.core.downloads import download_response
from zhengtu.core.lookups import get_or_404

from ..forms import InstrumentImportForm
from ..permissions import can_manage_instruments, can_view_results
from ..selectors import get_instrument_for_user, instruments_visible_to
from ..services.instruments import import_instrument
from ..workbook import WorkbookRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def instrument_list(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, lambda user: can_view_results(user) or can_manage_instruments(user))
    instruments = instruments_visible_to(request.user).select_related("current_version", "organisation")
    return render(
        request,
        "assessment/instrument_list.html",
        {"instruments": instruments, "can_import": can_manage_instruments(request.user)},
    )


@login_required
def instrument_import(request: AuthenticatedRequest) -> HttpResponse:
    require_rule(request.user, can_manage_instruments)
    form = InstrumentImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        owner = request.user.organisation if form.cleaned_data["for_my_organisation"] else None
        if owner is None and not request.user.is_superuser:
            owner = request.user.organisation
        try:
            outcome = import_instrument(
                actor=Actor.from_request(request),
                content=form.cleaned_data["workbook"],
                file_name=form.file_name,
                organisation=owner,
            )
        except WorkbookRejected as rejected:
            problems = rejected.problems
            messages.error(request, _("The workbook was refused: %(n)d problems to fix.") % {"n": len(problems)})
        else:
            version = outcome.version
            if outcome.created:
                messages.success(
                    request,
                    _("Imported %(title)s, version %(version)s.")
                    % {"title": version.title, "version": version.version},
                )
            else:
                messages.info(request, _("This version was already imported; nothing changed."))
            return redirect("assessment:instrument_detail", pk=version.instrument_id)
    return render(request, "assessment/instrument_import.html", {"form": form, "problems": problems})


@login_required
def instrument_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_rule(request.user, lambda user: can_view_results(user) or can_manage_instruments(user))
    instrument = get_instrument_for_user(request.user, pk)
    version = instrument.current_version
    definition = version.parsed if version else None
    return render(
        request,
        "assessment/instrument_detail.html",
        {
            "instrument": instrument,
            "version": version,
            "definition": definition,
            "versions": instrument.versions.select_related("imported_by"),
        },
    )


@login_required
def version_workbook(request: AuthenticatedRequest, pk: int, version_pk: int) -> HttpResponse:
    require_rule(request.user, lambda user: can_view_results(user) or can_manage_instruments(user))
    instrument = get_instrument_for_user(request.user, pk)
    version = get_or_404(instrument.versions, version_pk)
    return download_response(bytes(version.workbook), f"{instrument.code}-{version.version}.xlsx", XLSX)
