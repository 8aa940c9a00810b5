"""Writes to the registry. Forms, the API, imports and demo data all come through here."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can, may_be_responsible_officer
from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.divisions import level_of
from zhengtu.orgs.models import Division, Organisation
from zhengtu.privacy.crypto import blind_index, encrypt, mask_identity_number, mask_phone

from .identity import normalise, parse_identity_number
from .models import ALLOWED_STATUS_TRANSITIONS, Assignment, FamilyMember, NameReading, StatusChange, Supervisee
from .names import other_readings
from .names import pinyin_of as _pinyin_of
from .rules import LEVEL_LABELS, photo_max_bytes, residence_division_min_level, responsible_office_kinds
from .selectors import assignable_staff, organisations_visible_to
from .terms import compute_term_end

FAMILY_FIELDS = ("name", "relation", "phone", "work_unit", "address")
# What is stored (the phone encrypted): compared to tell whether an edit changed the family list.
FAMILY_STORED_FIELDS = ("name", "relation", "phone_encrypted", "work_unit", "address")
# Fields a caller may set directly; the rest are derived (pinyin, term end, encrypted numbers).
EDITABLE_FIELDS = frozenset(
    field.name
    for field in Supervisee._meta.get_fields()
    if getattr(field, "editable", False) and field.concrete and not field.auto_created
) - {"created_at", "updated_at"}


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese name: 张三 → ("zhangsan", "zs"); see names.pinyin_of."""
    return _pinyin_of(name)


def _apply_identity(supervisee: Supervisee, raw: str, *, check_fields: dict[str, Any]) -> None:
    try:
        identity = parse_identity_number(raw)
    except ValidationError as error:
        raise ValidationError({"identity_number": error.messages}) from error
    supervisee.identity_number_encrypted = encrypt(identity.value)
    supervisee.identity_number_index = blind_index(identity.value)
    supervisee.identity_number_masked = mask_identity_number(identity.value)
    errors = {}
    given_birth = check_fields.get("birth_date")
    if given_birth and given_birth != identity.birth_date:
        errors["birth_date"] = _("The birth date does not match the identity number (%(d)s).") % {
            "d": identity.birth_date.isoformat()
        }
    given_sex = check_fields.get("sex")
    if given_sex and given_sex != identity.sex:
        errors["sex"] = _("The sex does not match the identity number.")
    if errors:
        raise ValidationError(errors)
    supervisee.birth_date = identity.birth_date
    supervisee.sex = identity.sex


def normalise_phone(raw: str) -> str:
    return raw.strip().replace(" ", "").replace("-", "")


def _apply_phone(supervisee: Supervisee, raw: str) -> None:
    value = normalise_phone(raw)
    if value and not (value.lstrip("+").isdigit() and 5 <= len(value) <= 20):
        raise ValidationError({"phone": _("A phone number has 5 to 20 digits.")})
    supervisee.phone_encrypted = encrypt(value)
    supervisee.phone_index = blind_index(value) if value else ""
    supervisee.phone_masked = mask_phone(value)


def _apply_photo(supervisee: Supervisee, photo: UploadedFile | None) -> None:
    """Store an uploaded photo under a random name (the upload's name may contain a person's name)."""
    if photo is None:
        if supervisee.photo:
            old = supervisee.photo
            transaction.on_commit(lambda: old.storage.delete(old.name))
        supervisee.photo = None  # type: ignore[assignment]
        return
    if photo.size is not None and photo.size > photo_max_bytes():
        raise ValidationError(
            {"photo": _("The photo is too large: at most %(mb)d MB.") % {"mb": photo_max_bytes() // (1024 * 1024)}}
        )
    suffix = PurePath(photo.name or "").suffix.lower() or ".jpg"
    if supervisee.photo:
        old = supervisee.photo
        transaction.on_commit(lambda: old.storage.delete(old.name))
    photo.name = f"{uuid.uuid4().hex}{suffix}"
    supervisee.photo = photo  # type: ignore[assignment]


def _check_unique_identity(supervisee: Supervisee) -> None:
    duplicate = Supervisee.objects.filter(identity_number_index=supervisee.identity_number_index)
    if supervisee.pk:
        duplicate = duplicate.exclude(pk=supervisee.pk)
    if duplicate.exists():
        raise ValidationError({"identity_number": _("A supervisee with this identity number is already registered.")})


def _check_divisions(supervisee: Supervisee) -> None:
    minimum = residence_division_min_level()
    errors = {}
    for field in ("residence_division", "household_division"):
        division: Division | None = getattr(supervisee, field)
        if division is not None and level_of(division.code) < minimum:
            errors[field] = _("Choose a division down to the %(level)s level.") % {"level": LEVEL_LABELS[minimum]}
    if errors:
        raise ValidationError(errors)


def _check_office(actor: Actor | None, supervisee: Supervisee, *, office_changed: bool) -> None:
    office: Organisation | None = getattr(supervisee, "responsible_office", None)
    if office is None:
        raise ValidationError({"responsible_office": _("Choose the responsible office.")})
    if office_changed and office.kind not in responsible_office_kinds():
        raise ValidationError(
            {"responsible_office": _("“%(name)s” cannot be responsible for supervisees.") % {"name": office.name}}
        )
    user = actor.user if actor else None
    if office_changed and user is not None and not organisations_visible_to(user).filter(pk=office.pk).exists():
        raise ValidationError(
            {"responsible_office": _("You can only register supervisees for offices you work in or above.")}
        )


def _check_officer(supervisee: Supervisee) -> None:
    officer: User | None = supervisee.responsible_officer
    if officer is None:
        return
    office = supervisee.responsible_office
    if not may_be_responsible_officer(officer) or not officer.is_active or officer.organisation is None:
        raise ValidationError({"responsible_officer": _("The responsible officer must be an active officer.")})
    if not office.path.startswith(officer.organisation.path):
        raise ValidationError(
            {
                "responsible_officer": _(
                    "The responsible officer must work in the responsible office or a bureau above it."
                )
            }
        )


def _finish(supervisee: Supervisee, *, identity_ok: bool = True) -> None:
    supervisee.name = (supervisee.name or "").strip()
    supervisee.name_pinyin, supervisee.name_initials = pinyin_of(supervisee.name)
    if supervisee.term_start is not None and supervisee.term_months is not None:
        supervisee.term_end = compute_term_end(
            supervisee.term_start, supervisee.term_months, supervisee.term_extra_days or 0
        )
    exclude = ["identity_number_index"]
    if supervisee.term_end is None:
        exclude.append("term_end")
    if not identity_ok:
        exclude += ["birth_date", "sex"]
    supervisee.full_clean(exclude=exclude)


class _Errors:
    """Collects the errors of every check, so a clerk sees all problems of a form at once."""

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}

    def attempt(self, check: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            check(*args, **kwargs)
        except ValidationError as error:
            error.update_error_dict(self.errors)
            return False
        return True

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _validate(
    errors: _Errors, actor: Actor | None, supervisee: Supervisee, *, identity_ok: bool, office_changed: bool
) -> None:
    errors.attempt(_finish, supervisee, identity_ok=identity_ok)
    if supervisee.responsible_office_id is None:
        errors.raise_if_any()
        return
    errors.attempt(_check_office, actor, supervisee, office_changed=office_changed)
    errors.attempt(_check_officer, supervisee)
    errors.attempt(_check_divisions, supervisee)
    if identity_ok:
        errors.attempt(_check_unique_identity, supervisee)
    errors.raise_if_any()


def _save(supervisee: Supervisee) -> None:
    try:
        with transaction.atomic():
            supervisee.save()
    except IntegrityError as error:
        # Two clerks registering the same person at the same moment: the unique index decides.
        if Supervisee.objects.filter(identity_number_index=supervisee.identity_number_index).exists():
            raise ValidationError(
                {"identity_number": _("A supervisee with this identity number is already registered.")}
            ) from error
        raise


def _set_name_readings(supervisee: Supervisee) -> None:
    readings = other_readings(supervisee.name)
    current = list(supervisee.name_readings.values_list("pinyin", "initials"))
    if current != readings:
        supervisee.name_readings.all().delete()
        NameReading.objects.bulk_create(
            NameReading(supervisee=supervisee, pinyin=pinyin, initials=initials) for pinyin, initials in readings
        )


def _clean_family(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for position, member in enumerate(members, start=1):
        values = {name: str(member.get(name) or "").strip() for name in FAMILY_FIELDS}
        if not any(values.values()):
            continue
        if not values["name"] or not values["relation"]:
            raise ValidationError(
                {"family_members": _("Family member %(n)d needs a name and a relation.") % {"n": position}}
            )
        cleaned.append({**values, "id": member.get("id")})
    return cleaned


def _set_family(supervisee: Supervisee, members: list[dict[str, Any]]) -> None:
    """Make the family list exactly `members`: rows with an id are updated, others added, the rest removed."""
    current = {m.pk: m for m in supervisee.family_members.all()}
    kept: set[int] = set()
    for member in members:
        member_id = member.pop("id", None)
        existing = current.get(int(member_id)) if member_id not in (None, "") else None
        phone = normalise_phone(member.pop("phone", ""))
        if phone and not (phone.lstrip("+").isdigit() and 5 <= len(phone) <= 20):
            raise ValidationError({"family_members": _("A phone number has 5 to 20 digits.")})
        if existing is None:
            created = FamilyMember(supervisee=supervisee, **member)
            created.phone = phone
            created.save()
            continue
        kept.add(existing.pk)
        for name, value in member.items():
            setattr(existing, name, value)
        # Blank keeps the stored number (the form never shows it in clear); the same number is not
        # re-encrypted, so an unchanged list does not count as a change.
        if phone and phone != existing.phone:
            existing.phone = phone
        existing.full_clean(exclude=["supervisee"])
        existing.save()
    FamilyMember.objects.filter(supervisee=supervisee, pk__in=set(current) - kept).delete()


def _fields_only(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS - {"birth_date", "sex"}
    if unknown:
        raise TypeError(f"Not a supervisee field: {', '.join(sorted(unknown))}")
    return {k: v for k, v in fields.items() if k not in ("birth_date", "sex", "photo")}


@transaction.atomic
def create_supervisee(*, actor: Actor | None, identity_number: str, phone: str = "", **fields: Any) -> Supervisee:
    """Register a person. Identity number checked and encrypted; birth date and sex derived from it."""
    family = _clean_family(list(fields.pop("family_members", [])))
    photo = fields.pop("photo", None)
    supervisee = Supervisee(**_fields_only(fields))
    errors = _Errors()
    identity_ok = errors.attempt(_apply_identity, supervisee, identity_number, check_fields=fields)
    errors.attempt(_apply_phone, supervisee, phone)
    if photo:
        errors.attempt(_apply_photo, supervisee, photo)
    _validate(errors, actor, supervisee, identity_ok=identity_ok, office_changed=True)
    _save(supervisee)
    _set_name_readings(supervisee)
    _set_family(supervisee, family)
    if actor is not None:
        record_event(actor, action=Action.CREATE, target=supervisee)
    return supervisee


TRACKED_FIELDS = tuple(sorted(EDITABLE_FIELDS - {"photo"}))


def _snapshot(supervisee: Supervisee) -> dict[str, Any]:
    values = {name: getattr(supervisee, f"{name}_id" if name in _FOREIGN_KEYS else name) for name in TRACKED_FIELDS}
    values["identity_number"] = supervisee.identity_number_index
    values["phone"] = supervisee.phone_index
    values["photo"] = supervisee.photo.name if supervisee.photo else ""
    return values


_FOREIGN_KEYS = frozenset(
    f.name for f in Supervisee._meta.get_fields() if f.concrete and f.is_relation and f.name in EDITABLE_FIELDS
)


@transaction.atomic
def update_supervisee(
    *,
    actor: Actor | None,
    supervisee: Supervisee,
    identity_number: str | None = None,
    phone: str | None = None,
    **fields: Any,
) -> Supervisee:
    """Change a registration. A blank identity number or phone keeps the stored one.

    `family_members`, when given, replaces the family list; `photo=None` removes the photo.
    Status changes go through change_status, never through here.
    """
    fields.pop("status", None)
    family = fields.pop("family_members", None)
    has_photo = "photo" in fields
    photo = fields.pop("photo", None)
    before = _snapshot(supervisee)
    previous_office_id = supervisee.responsible_office_id
    for name, value in _fields_only(fields).items():
        setattr(supervisee, name, value)
    errors = _Errors()
    identity_ok = True
    if identity_number and normalise(identity_number) != supervisee.identity_number:
        identity_ok = errors.attempt(_apply_identity, supervisee, identity_number, check_fields=fields)
    elif fields.get("birth_date") or fields.get("sex"):
        identity_ok = errors.attempt(_apply_identity, supervisee, supervisee.identity_number, check_fields=fields)
    if phone and normalise_phone(phone) != supervisee.phone:
        errors.attempt(_apply_phone, supervisee, phone)
    if has_photo:
        errors.attempt(_apply_photo, supervisee, photo or None)
    office_changed = supervisee.responsible_office_id != previous_office_id
    _validate(errors, actor, supervisee, identity_ok=identity_ok, office_changed=office_changed)
    _save(supervisee)
    _set_name_readings(supervisee)
    changed = [name for name, value in _snapshot(supervisee).items() if before[name] != value]
    if family is not None:
        before_family = list(supervisee.family_members.order_by("pk").values_list(*FAMILY_STORED_FIELDS))
        _set_family(supervisee, _clean_family(list(family)))
        if list(supervisee.family_members.order_by("pk").values_list(*FAMILY_STORED_FIELDS)) != before_family:
            changed.append("family_members")
    if actor is not None:
        record_event(actor, action=Action.UPDATE, target=supervisee, detail={"fields": changed})
    return supervisee


@transaction.atomic
def change_status(*, actor: Actor | None, supervisee: Supervisee, to_status: str, reason: str = "") -> Supervisee:
    """The one state machine of a supervisee's lifecycle. Forbidden transitions are refused."""
    locked = Supervisee.objects.select_for_update().get(pk=supervisee.pk)
    if to_status not in ALLOWED_STATUS_TRANSITIONS.get(locked.status, frozenset()):
        raise ValidationError(
            _("A supervisee whose status is “%(from)s” cannot become “%(to)s”.")
            % {"from": locked.get_status_display(), "to": Supervisee(status=to_status).get_status_display()}
        )
    StatusChange.objects.create(
        supervisee=locked,
        from_status=locked.status,
        to_status=to_status,
        reason=reason,
        changed_by=actor.user if actor else None,
    )
    previous = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    if actor is not None:
        record_event(
            actor, action=Action.STATUS, target=locked, detail={"from": previous, "to": to_status, "reason": reason}
        )
    supervisee.status = to_status
    return locked


REVEALABLE_FIELDS = ("identity_number", "phone")


def reveal_identity(*, actor: Actor, supervisee: Supervisee, field: str = "identity_number") -> str:
    """The clear identity or phone number, written to the audit log before it is returned.

    Users without the reveal capability are refused, and the refusal is logged too.
    """
    if field not in REVEALABLE_FIELDS:
        raise ValueError(field)
    if actor.user is not None and not can(actor.user, Capability.REVEAL_IDENTITY):
        record_event(actor, action=Action.REVEAL, target=supervisee, outcome=Outcome.DENIED, detail={"field": field})
        raise PermissionDenied(_("You may not see identity and phone numbers in clear."))
    record_event(actor, action=Action.REVEAL, target=supervisee, detail={"field": field})
    return supervisee.identity_number if field == "identity_number" else supervisee.phone


@transaction.atomic
def assign_staff(*, actor: Actor, supervisee: Supervisee, user: User, role: str) -> Assignment:
    """Assign a staff member (officer, social worker, ...): they then see this person."""
    if not assignable_staff(supervisee).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("%(name)s cannot be assigned to this supervisee.") % {"name": user}})
    if Assignment.objects.filter(supervisee=supervisee, user=user, ended_at__isnull=True).exists():
        raise ValidationError({"user": _("%(name)s is already assigned to this supervisee.") % {"name": user}})
    assignment = Assignment(supervisee=supervisee, user=user, role=role)
    assignment.full_clean()
    assignment.save()
    record_event(
        actor,
        action=Action.CREATE,
        target=supervisee,
        detail={"assignment": assignment.pk, "user": user.username, "role": role},
    )
    return assignment


@transaction.atomic
def end_assignment(*, actor: Actor, assignment: Assignment) -> Assignment:
    if assignment.ended_at is not None:
        return assignment
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    record_event(
        actor,
        action=Action.UPDATE,
        target=assignment.supervisee,
        detail={"assignment_ended": assignment.pk, "user": assignment.user.username},
    )
    return assignment
