"""Training pages for administrators (schedule, attendance, figures) and for staff (register)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.services import Actor
from zhengtu.core.lookups import get_or_404
from zhengtu.core.pages import run_action, run_form_action, save_form
from zhengtu.core.query import parse_int

from ..forms import AttendanceForm, GuestForm, QuestionnaireForm, QuestionnaireItemForm, TrainingForm
from ..models import QuestionnaireItem, TrainingRegistration
from ..rules import rule
from ..selectors import (
    association_of,
    associations_managed_by,
    get_managed_training,
    get_training_for_user,
    own_registration,
    registrations_of,
    training_figures,
    trainings_managed_by,
    trainings_visible_to,
    year_figures,
)
from ..services import trainings as services
from ..sign_in import qr_code_svg, sign_in_is_open, sign_in_token, sign_in_window
from .common import require_capability, save_for_association, selected_year


@login_required
def training_list(request: AuthenticatedRequest) -> HttpResponse:
    year = selected_year(request.GET.get("year"))
    manages = can(request.user, Capability.MANAGE_ASSOCIATION)
    trainings = (trainings_managed_by(request.user) if manages else trainings_visible_to(request.user)).filter(
        starts_at__year=year
    )
    trainings = trainings.annotate(
        registered=Count("registrations", distinct=True),
        attended=Count("registrations", filter=Q(registrations__signed_in_at__isnull=False), distinct=True),
    ).order_by("starts_at")
    mine = set()
    if not manages:
        mine = set(TrainingRegistration.objects.filter(user=request.user).values_list("training_id", flat=True))
    context = {
        "trainings": trainings,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1),
        "figures": year_figures(trainings_managed_by(request.user), year) if manages else None,
        "manages": manages,
        "mine": mine,
    }
    return render(request, "association/training_list.html", context)


@login_required
def training_create(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    associations = associations_managed_by(request.user)
    form = TrainingForm(request.POST or None, associations=associations)
    if saved := save_for_association(
        request,
        form,
        lambda association, data: services.create_training(
            actor=Actor.from_request(request), association=association, **data
        ),
    ):
        messages.success(request, pgettext("association", "The training has been scheduled."))
        return redirect("association:training-detail", pk=saved.result.pk)
    return render(request, "association/training_form.html", {"form": form, "training": None})


@login_required
def training_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_managed_training(request.user, pk)
    initial = {name: getattr(training, name) for name in services.TRAINING_FIELDS}
    for name in ("starts_at", "ends_at"):
        initial[name] = timezone.localtime(initial[name])
    form = TrainingForm(request.POST or None, initial=initial)
    if save_form(
        request,
        form,
        lambda data: services.update_training(actor=Actor.from_request(request), training=training, **data),
    ):
        messages.success(request, pgettext("association", "The training has been updated."))
        return redirect("association:training-detail", pk=training.pk)
    return render(request, "association/training_form.html", {"form": form, "training": training})


@login_required
def training_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    manages = trainings_managed_by(request.user).filter(pk=training.pk).exists()
    context = {
        "training": training,
        "manages": manages,
        "own_registration": own_registration(request.user, training),
        "sign_in_open": sign_in_is_open(training),
        "sign_in_window": sign_in_window(training),
    }
    if manages:
        context.update(
            registrations=registrations_of(training),
            figures=training_figures(training),
            guest_form=GuestForm(),
            method=rule("training_satisfaction_method"),
            satisfied_min=rule("training_satisfied_min_score"),
        )
    return render(request, "association/training_detail.html", context)


@login_required
@require_POST
def training_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_managed_training(request.user, pk)
    services.cancel_training(actor=Actor.from_request(request), training=training)
    messages.success(request, pgettext("association", "The training has been cancelled."))
    return redirect("association:training-detail", pk=training.pk)


@login_required
@require_POST
def training_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    run_action(
        request,
        lambda: services.register_user(actor=Actor.from_request(request), training=training, user=request.user),
        done=pgettext("association", "You are registered for this training."),
    )
    return redirect("association:training-detail", pk=training.pk)


@login_required
@require_POST
def registration_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_managed_training(request.user, pk)
    form = GuestForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.register_guest(actor=Actor.from_request(request), training=training, **data),
        invalid=pgettext("association", "Enter the attendee's name and a valid phone number."),
        done=pgettext("association", "The attendee has been registered."),
    )
    return redirect("association:training-detail", pk=training.pk)


@login_required
@require_POST
def registration_attendance(request: AuthenticatedRequest, pk: int, registration_pk: int) -> HttpResponse:
    training = get_managed_training(request.user, pk)
    registration = get_or_404(training.registrations, registration_pk)
    form = AttendanceForm(request.POST)
    form.is_valid()
    run_action(
        request,
        lambda: services.record_attendance(
            actor=Actor.from_request(request), registration=registration, attended=form.cleaned_data["attended"]
        ),
    )
    return redirect(reverse("association:training-detail", args=[training.pk]) + "#attendance")


@login_required
@require_POST
def registration_remove(request: AuthenticatedRequest, pk: int, registration_pk: int) -> HttpResponse:
    training = get_managed_training(request.user, pk)
    registration = get_or_404(training.registrations, registration_pk)
    run_action(
        request, lambda: services.remove_registration(actor=Actor.from_request(request), registration=registration)
    )
    return redirect(reverse("association:training-detail", args=[training.pk]) + "#attendance")


@login_required
def training_qr(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The page shown (or printed) at the door: a QR code of the signed sign-in link."""
    training = get_managed_training(request.user, pk)
    url = request.build_absolute_uri(reverse("association:sign-in", args=[sign_in_token(training)]))
    context = {"training": training, "url": url, "svg": qr_code_svg(url), "window": sign_in_window(training)}
    return render(request, "association/training_qr.html", context)


@login_required
@require_POST
def training_qr_rotate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = get_managed_training(request.user, pk)
    services.rotate_sign_in_key(actor=Actor.from_request(request), training=training)
    messages.success(request, pgettext("association", "A new sign-in code has been made; the old one no longer works."))
    return redirect("association:training-qr", pk=training.pk)


@login_required
def questionnaire_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Type in a paper questionnaire collected at the training."""
    training = get_managed_training(request.user, pk)
    items = services.active_questionnaire_items(training.association)
    low, high = int(rule("training_score_min")), int(rule("training_score_max"))
    form = QuestionnaireForm(request.POST or None, items=items, low=low, high=high)
    if save_form(
        request,
        form,
        lambda data: services.submit_questionnaire(
            actor=Actor.from_request(request), training=training, scores=form.scores(), comment=data["comment"]
        ),
    ):
        messages.success(
            request, pgettext("association", "The questionnaire has been recorded. You can enter the next one.")
        )
        return redirect("association:questionnaire-entry", pk=training.pk)
    context = {"training": training, "form": form, "items": items, "figures": training_figures(training)}
    return render(request, "association/questionnaire_entry.html", context)


@login_required
def questionnaire_items(request: AuthenticatedRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ASSOCIATION)
    association = association_of(request.user)
    items = (
        QuestionnaireItem.objects.filter(association=association) if association else QuestionnaireItem.objects.none()
    )
    edit_pk = parse_int(request.POST.get("item") or request.GET.get("item"))
    editing = items.filter(pk=edit_pk).first() if edit_pk else None
    initial = {"text": editing.text, "order": editing.order, "is_active": editing.is_active} if editing else None
    form = QuestionnaireItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and association is not None:
        actor = Actor.from_request(request)
        if "standard" in request.POST:
            services.ensure_default_questionnaire(actor=actor, association=association)
            return redirect("association:questionnaire-items")
        if save_form(
            request,
            form,
            lambda data: services.save_questionnaire_item(actor=actor, association=association, item=editing, **data),
        ):
            messages.success(request, pgettext("association", "The questionnaire has been saved."))
            return redirect("association:questionnaire-items")
    context = {"items": items, "form": form, "editing": editing}
    return render(request, "association/questionnaire_items.html", context)
