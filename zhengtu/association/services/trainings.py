"""Trainings: scheduling, registration, sign-in at the door and the satisfaction questionnaire."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation
from zhengtu.privacy.crypto import blind_index, encrypt, mask_phone

from ..models import (
    QuestionnaireAnswer,
    QuestionnaireItem,
    QuestionnaireResponse,
    SignInMethod,
    Training,
    TrainingRegistration,
    new_sign_in_key,
)
from ..rules import rule
from ..sign_in import sign_in_is_open

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}\d{7,8})$")
TRAINING_FIELDS = ("topic", "trainer", "audience", "description", "starts_at", "ends_at", "place", "capacity")


def normalise_phone(raw: str) -> str:
    value = raw.strip().replace(" ", "").replace("-", "")
    if not PHONE_PATTERN.match(value):
        raise ValidationError(
            {
                "phone": pgettext(
                    "association", "Enter an 11-digit mobile number or a landline number with its area code."
                )
            }
        )
    return value


def _check_times(training: Training) -> None:
    if training.starts_at and training.ends_at and training.ends_at <= training.starts_at:
        raise ValidationError({"ends_at": pgettext("association", "A training must end after it starts.")})


@transaction.atomic
def create_training(
    *,
    actor: Actor,
    association: Organisation,
    topic: str,
    trainer: str,
    audience: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    capacity: int | None = None,
    description: str = "",
) -> Training:
    training = Training(
        association=association,
        topic=topic.strip(),
        trainer=trainer.strip(),
        audience=audience.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        capacity=capacity,
        description=description,
        created_by=actor.user,
    )
    _check_times(training)
    training.full_clean()
    training.save()
    record_event(actor, action=Action.CREATE, target=training)
    return training


@transaction.atomic
def update_training(*, actor: Actor, training: Training, **fields: object) -> Training:
    changed = {}
    for name, value in fields.items():
        if name not in TRAINING_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(training, name) != value:
            changed[name] = str(value)
            setattr(training, name, value)
    _check_times(training)
    training.full_clean()
    training.save()
    record_event(actor, action=Action.UPDATE, target=training, detail={"changed": changed})
    return training


@transaction.atomic
def cancel_training(*, actor: Actor, training: Training) -> Training:
    training.is_cancelled = True
    training.save(update_fields=["is_cancelled"])
    record_event(actor, action=Action.STATUS, target=training, detail={"cancelled": True})
    return training


@transaction.atomic
def rotate_sign_in_key(*, actor: Actor, training: Training) -> Training:
    training.sign_in_key = new_sign_in_key()
    training.save(update_fields=["sign_in_key"])
    record_event(actor, action=Action.UPDATE, target=training, detail={"sign_in_code": "replaced"})
    return training


def _check_capacity(training: Training) -> None:
    if training.capacity is not None and training.registrations.count() >= training.capacity:
        raise ValidationError(pgettext("association", "This training is full."))


def _apply_phone(registration: TrainingRegistration, phone: str) -> None:
    registration.phone_encrypted = encrypt(phone)
    registration.phone_index = blind_index(phone)
    registration.phone_masked = mask_phone(phone)


def _save_registration(registration: TrainingRegistration) -> TrainingRegistration:
    registration.full_clean(exclude=["phone_index"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise ValidationError(pgettext("association", "This person is already registered for the training.")) from error
    return registration


@transaction.atomic
def register_user(*, actor: Actor, training: Training, user: User) -> TrainingRegistration:
    """Register a staff member with an account (they register themselves, or an administrator does)."""
    if training.is_cancelled:
        raise ValidationError(pgettext("association", "This training has been cancelled."))
    if training.registrations.filter(user=user).exists():
        raise ValidationError(pgettext("association", "This person is already registered for the training."))
    _check_capacity(training)
    registration = TrainingRegistration(
        training=training,
        user=user,
        name=user.display_name,
        organisation_name=user.organisation.name if user.organisation else "",
        registered_at=timezone.now(),
    )
    _save_registration(registration)
    record_event(actor, action=Action.CREATE, target=registration, detail={"training": training.pk})
    return registration


@transaction.atomic
def register_guest(
    *, actor: Actor, training: Training, name: str, phone: str, organisation_name: str = ""
) -> TrainingRegistration:
    """Register someone without an account, identified by name and phone."""
    if training.is_cancelled:
        raise ValidationError(pgettext("association", "This training has been cancelled."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": pgettext("association", "Enter the attendee's name.")})
    number = normalise_phone(phone)
    if training.registrations.filter(phone_index=blind_index(number)).exists():
        raise ValidationError(pgettext("association", "This person is already registered for the training."))
    _check_capacity(training)
    registration = TrainingRegistration(
        training=training, name=name, organisation_name=organisation_name.strip(), registered_at=timezone.now()
    )
    _apply_phone(registration, number)
    _save_registration(registration)
    record_event(actor, action=Action.CREATE, target=registration, detail={"training": training.pk})
    return registration


@transaction.atomic
def remove_registration(*, actor: Actor, registration: TrainingRegistration) -> None:
    if registration.attended:
        raise ValidationError(
            pgettext("association", "An attendee who has signed in cannot be removed; record them as absent instead.")
        )
    record_event(actor, action=Action.DELETE, target=registration, detail={"training": registration.training_id})
    registration.delete()


def _check_sign_in_open(training: Training, at: dt.datetime) -> None:
    if not sign_in_is_open(training, at):
        raise ValidationError(pgettext("association", "Sign-in for this training is not open at the moment."))


@transaction.atomic
def sign_in_with_account(
    *, actor: Actor, training: Training, user: User, at: dt.datetime | None = None
) -> TrainingRegistration:
    """The attendee scanned the door code while logged in: mark them present (walk-ins are added)."""
    at = at or timezone.now()
    _check_sign_in_open(training, at)
    registration = training.registrations.select_for_update().filter(user=user).first()
    if registration is None:
        registration = TrainingRegistration(
            training=training,
            user=user,
            name=user.display_name,
            organisation_name=user.organisation.name if user.organisation else "",
        )
    if registration.signed_in_at is None:
        registration.signed_in_at = at
        registration.sign_in_method = SignInMethod.ACCOUNT
        _save_registration(registration)
        record_event(actor, action=Action.OTHER, target=registration, detail={"signed_in": training.pk})
    return registration


@transaction.atomic
def sign_in_as_guest(
    *,
    actor: Actor,
    training: Training,
    name: str,
    phone: str,
    organisation_name: str = "",
    at: dt.datetime | None = None,
) -> TrainingRegistration:
    """The attendee scanned the door code without an account: match their phone or add them as a walk-in."""
    at = at or timezone.now()
    _check_sign_in_open(training, at)
    name = name.strip()
    if not name:
        raise ValidationError({"name": pgettext("association", "Enter the attendee's name.")})
    number = normalise_phone(phone)
    registration = training.registrations.select_for_update().filter(phone_index=blind_index(number)).first()
    if registration is None:
        registration = TrainingRegistration(training=training, name=name, organisation_name=organisation_name.strip())
        _apply_phone(registration, number)
    elif registration.name != name:
        raise ValidationError(
            {
                "name": pgettext(
                    "association",
                    "This phone number is registered under another name. Please check with the staff at the door.",
                )
            }
        )
    if registration.signed_in_at is None:
        registration.signed_in_at = at
        registration.sign_in_method = SignInMethod.GUEST
        _save_registration(registration)
        record_event(actor, action=Action.OTHER, target=registration, detail={"signed_in": training.pk})
    return registration


@transaction.atomic
def record_attendance(
    *, actor: Actor, registration: TrainingRegistration, attended: bool, at: dt.datetime | None = None
) -> TrainingRegistration:
    """Staff correct the attendance list by hand (a paper sign-in sheet, a forgotten phone)."""
    if attended and registration.signed_in_at is None:
        registration.signed_in_at = at or timezone.now()
        registration.sign_in_method = SignInMethod.RECORDED
    elif not attended:
        if hasattr(registration, "response"):
            raise ValidationError(
                pgettext("association", "This attendee has answered the questionnaire and cannot be marked absent.")
            )
        registration.signed_in_at = None
        registration.sign_in_method = ""
    registration.save(update_fields=["signed_in_at", "sign_in_method"])
    record_event(actor, action=Action.UPDATE, target=registration, detail={"attended": attended})
    return registration


def active_questionnaire_items(association: Organisation) -> list[QuestionnaireItem]:
    return list(QuestionnaireItem.objects.filter(association=association, is_active=True).order_by("order", "pk"))


@transaction.atomic
def submit_questionnaire(
    *,
    actor: Actor,
    training: Training,
    scores: Mapping[int, int | None],
    registration: TrainingRegistration | None = None,
    comment: str = "",
) -> QuestionnaireResponse:
    """One questionnaire: every active item scored on the scale. From an attendee, or typed in from paper."""
    items = active_questionnaire_items(training.association)
    if not items:
        raise ValidationError(pgettext("association", "The association has not set up a questionnaire yet."))
    low, high = int(rule("training_score_min")), int(rule("training_score_max"))
    errors: dict[str, str] = {}
    for item in items:
        value = scores.get(item.pk)
        if value is None:
            errors[f"item_{item.pk}"] = pgettext("association", "Please score this item.")
        elif not low <= value <= high:
            errors[f"item_{item.pk}"] = pgettext("association", "Scores go from %(low)d to %(high)d.") % {
                "low": low,
                "high": high,
            }
    if errors:
        raise ValidationError(errors)
    if registration is not None:
        if registration.training_id != training.pk:
            raise ValueError("registration of another training")
        if not registration.attended:
            raise ValidationError(pgettext("association", "Only attendees who signed in can answer the questionnaire."))
        if QuestionnaireResponse.objects.filter(registration=registration).exists():
            raise ValidationError(
                pgettext("association", "This attendee has already answered the questionnaire. Thank you.")
            )
    response = QuestionnaireResponse.objects.create(
        training=training,
        registration=registration,
        comment=comment.strip(),
        entered_by=actor.user if registration is None else None,
    )
    QuestionnaireAnswer.objects.bulk_create(
        [QuestionnaireAnswer(response=response, item=item, score=int(scores[item.pk] or 0)) for item in items]
    )
    record_event(actor, action=Action.CREATE, target=response, detail={"training": training.pk})
    return response


@transaction.atomic
def save_questionnaire_item(
    *,
    actor: Actor,
    association: Organisation,
    text: str,
    order: int = 0,
    is_active: bool = True,
    item: QuestionnaireItem | None = None,
) -> QuestionnaireItem:
    if item is not None and item.association_id != association.pk:
        raise ValueError("item of another association")
    item = item or QuestionnaireItem(association=association)
    item.text, item.order, item.is_active = text.strip(), order, is_active
    item.full_clean()
    item.save()
    record_event(actor, action=Action.UPDATE, target=item)
    return item


DEFAULT_QUESTIONNAIRE = (
    "培训主题切合工作需要",
    "培训内容充实、实用",
    "培训讲师讲解清晰、互动良好",
    "培训组织安排（时间、场地）合理",
    "总体而言，我对本次培训感到满意",
)


@transaction.atomic
def ensure_default_questionnaire(*, actor: Actor, association: Organisation) -> list[QuestionnaireItem]:
    """Give an association the standard five-item questionnaire if it has none yet."""
    if not QuestionnaireItem.objects.filter(association=association).exists():
        for order, text in enumerate(DEFAULT_QUESTIONNAIRE, start=1):
            save_questionnaire_item(actor=actor, association=association, text=text, order=order)
    return active_questionnaire_items(association)
