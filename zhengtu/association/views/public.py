"""The pages an attendee reaches by scanning the door QR code: sign in, then answer the questionnaire.

They need no login: the signed token in the URL is the credential (see ``sign_in.py``). Staff who are
logged in sign in with their account; everybody else gives their name and phone number.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext

from zhengtu.audit.services import Actor
from zhengtu.core.pages import add_service_errors

from ..forms import GuestForm, QuestionnaireForm
from ..models import TrainingRegistration
from ..rules import rule
from ..services import trainings as services
from ..sign_in import (
    questionnaire_token,
    registration_for_questionnaire_token,
    sign_in_is_open,
    sign_in_window,
    training_for_sign_in_token,
)


def _signed_in(request: HttpRequest, registration: TrainingRegistration) -> HttpResponse:
    messages.success(request, pgettext("association", "Signed in. Welcome, %(name)s!") % {"name": registration.name})
    return redirect("association:questionnaire", token=questionnaire_token(registration))


def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    training = training_for_sign_in_token(token)
    user = request.user
    staff = user if user.is_authenticated and getattr(user, "is_staff_member", False) else None
    form = GuestForm(request.POST if request.method == "POST" and "guest" in request.POST else None)
    is_open = sign_in_is_open(training)
    if request.method == "POST" and is_open:
        actor = Actor.from_request(request)
        try:
            if "account" in request.POST and staff is not None:
                registration = services.sign_in_with_account(actor=actor, training=training, user=staff)  # type: ignore[arg-type]
                return _signed_in(request, registration)
            if form.is_valid():
                registration = services.sign_in_as_guest(actor=actor, training=training, **form.cleaned_data)
                return _signed_in(request, registration)
        except ValidationError as error:
            add_service_errors(form, error)
    context = {
        "training": training,
        "form": form,
        "staff": staff,
        "is_open": is_open,
        "window": sign_in_window(training),
    }
    return render(request, "association/public_sign_in.html", context)


def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_for_questionnaire_token(token)
    training = registration.training
    answered = hasattr(registration, "response")
    items = services.active_questionnaire_items(training.association)
    low, high = int(rule("training_score_min")), int(rule("training_score_max"))
    form = QuestionnaireForm(request.POST or None, items=items, low=low, high=high)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.submit_questionnaire(
                actor=Actor.from_request(request),
                training=training,
                registration=registration,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            answered = True
    context = {
        "training": training,
        "registration": registration,
        "form": form,
        "answered": answered,
        "has_items": bool(items),
        "low": low,
        "high": high,
    }
    return render(request, "association/public_questionnaire.html", context)
