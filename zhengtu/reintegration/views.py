"""Pages of help with returning to society: the per-office list, one person's needs, one need and its forms.

Thin: every record named in a URL comes through a scoped selector (404 outside scope); the services decide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import capability_required
from zhengtu.core.pages import run_action, save_form
from zhengtu.supervisees.selectors import filter_offices_for

from . import exports, selectors, services
from .forms import ActionForm, FilterForm, NeedForm, OutcomeForm, ReferralForm, WithdrawForm
from .models import NeedSource
from .rules import referral_days, referral_overdue_found_by

VIEW = Capability.VIEW_REINTEGRATION
RECORD = Capability.RECORD_REINTEGRATION


def _filters(request: AuthenticatedRequest) -> tuple[FilterForm, selectors.NeedFilters]:
    form = FilterForm(request.GET or None, offices=filter_offices_for(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    waiting = referral_overdue_found_by(timezone.localdate()) if data.get("waiting") else None
    office = data.get("office")
    filters = selectors.NeedFilters(
        office=office.pk if office else None,
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        outcome=data.get("outcome", ""),
        query=(data.get("q") or "").strip(),
        waiting_since=waiting,
    )
    return form, filters


@capability_required(VIEW)
@require_GET
def need_list(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _filters(request)
    needs = selectors.list_needs(request.user, filters).prefetch_related("referrals")
    page = Paginator(needs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reintegration/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "referral_days": referral_days()},
    )


@capability_required(VIEW)
@require_GET
def export(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _filters(request)
    content = exports.export_needs(
        actor=Actor.from_request(request),
        needs=selectors.list_needs(request.user, filters),
        filters={key: str(value) for key, value in request.GET.items() if key != "page"},
    )
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    name = f"reintegration-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required(VIEW)
@require_GET
def person(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_person_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=supervisee, detail={"page": "reintegration"})
    may_record = can(request.user, RECORD)
    return render(
        request,
        "reintegration/person.html",
        {
            "supervisee": supervisee,
            "needs": selectors.needs_of(request.user, supervisee),
            "suggested": selectors.suggested_needs(request.user, supervisee) if may_record else [],
            "may_record": may_record,
        },
    )


def _form_page(
    request: AuthenticatedRequest,
    form: forms.BaseForm,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    back: str,
    done: str,
    subject: Any,
    next_url: Callable[[Any], str] | None = None,
) -> HttpResponse:
    saved = save_form(request, form, save)
    if saved is not None:
        messages.success(request, done)
        return redirect(next_url(saved.result) if next_url else back)
    return render(request, "reintegration/form.html", {"form": form, "title": title, "back": back, "subject": subject})


@capability_required(RECORD)
def need_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supervisee = selectors.get_person_for_user(request.user, pk)
    return _form_page(
        request,
        NeedForm(request.POST or None),
        title=_("Record a need of %(name)s") % {"name": supervisee.name},
        save=lambda data: services.record_need(actor=Actor.from_request(request), supervisee=supervisee, **data),
        back=reverse("reintegration:person", args=[supervisee.pk]),
        next_url=lambda need: reverse("reintegration:need", args=[need.pk]),
        done=_("The need has been recorded."),
        subject=supervisee,
    )


@capability_required(RECORD)
@require_POST
def need_from_assessment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record a need the assessment found (offered on the person's page), one button per domain."""
    supervisee = selectors.get_person_for_user(request.user, pk)
    domain = request.POST.get("domain", "")
    suggestion = next((s for s in selectors.suggested_needs(request.user, supervisee) if s.domain == domain), None)
    if suggestion is None:
        messages.error(request, _("This need of the assessment is no longer open to record."))
        return redirect("reintegration:person", pk=supervisee.pk)
    from zhengtu.assessment.models import Assessment

    assessment = Assessment.objects.get(pk=suggestion.assessment_id, supervisee=supervisee)
    run_action(
        request,
        lambda: services.record_need(
            actor=Actor.from_request(request),
            supervisee=supervisee,
            kind=suggestion.kind,
            description=f"{suggestion.label}：{suggestion.measures}" if suggestion.measures else suggestion.label,
            found_on=timezone.localdate(),
            source=NeedSource.ASSESSMENT,
            assessment=assessment,
            assessment_domain=suggestion.domain,
        ),
        done=_("The need has been recorded."),
    )
    return redirect("reintegration:person", pk=supervisee.pk)


@capability_required(VIEW)
@require_GET
def need_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    need = selectors.get_need_for_user(request.user, pk)
    record_event(request, action=Action.VIEW, target=need)
    return render(
        request,
        "reintegration/need.html",
        {
            "need": need,
            "referrals": need.referrals.select_related("referred_by"),
            "actions": need.actions.select_related("recorded_by"),
            "may_record": can(request.user, RECORD) and need.is_open,
            "may_reveal": can(request.user, Capability.REVEAL_IDENTITY),
        },
    )


def _need_form(
    request: AuthenticatedRequest, pk: int, form_class: type[forms.Form], title: str, done: str, service: Any
) -> HttpResponse:
    need = selectors.get_need_for_user(request.user, pk)
    back = reverse("reintegration:need", args=[need.pk])
    if not need.is_open:
        messages.error(request, _("This need is closed: nothing more can be recorded on it."))
        return redirect(back)
    return _form_page(
        request,
        form_class(request.POST or None),
        title=title % {"name": need.supervisee.name, "kind": need.get_kind_display()},
        save=lambda data: service(actor=Actor.from_request(request), need=need, **data),
        back=back,
        done=done,
        subject=need.supervisee,
    )


@capability_required(RECORD)
def refer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _need_form(
        request,
        pk,
        ReferralForm,
        _("Refer the need of %(name)s (%(kind)s)"),
        _("The referral has been recorded."),
        services.refer_need,
    )


@capability_required(RECORD)
def action(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _need_form(
        request,
        pk,
        ActionForm,
        _("Record what was done for %(name)s (%(kind)s)"),
        _("The action has been recorded."),
        services.record_action,
    )


@capability_required(RECORD)
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _need_form(
        request,
        pk,
        OutcomeForm,
        _("Record the outcome for %(name)s (%(kind)s)"),
        _("The outcome has been recorded and the need closed."),
        services.record_outcome,
    )


@capability_required(RECORD)
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _need_form(
        request,
        pk,
        WithdrawForm,
        _("Withdraw the need of %(name)s (%(kind)s)"),
        _("The need has been withdrawn."),
        services.withdraw_need,
    )


@capability_required(Capability.REVEAL_IDENTITY)
@require_POST
def reveal_phone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """HTMX: the clear contact phone of a referral, in place of the masked one (audited)."""
    referral = selectors.get_referral_for_user(request.user, pk)
    phone = services.reveal_contact_phone(actor=Actor.from_request(request), referral=referral)
    return render(request, "reintegration/revealed.html", {"value": phone or "—"})
