"""Writes to the registry. Forms, the API, imports and demo data all come through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.privacy.crypto import blind_index, encrypt, mask_identity_number, mask_phone

from .identity import normalise, parse_identity_number
from .models import ALLOWED_STATUS_TRANSITIONS, StatusChange, Supervisee
from .terms import compute_term_end

if TYPE_CHECKING:
    pass


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese name: 张三 → ("zhangsan", "zs")."""
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full, initials


def _apply_identity(supervisee: Supervisee, raw: str, *, check_fields: dict[str, Any]) -> None:
    identity = parse_identity_number(raw)
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


def _apply_phone(supervisee: Supervisee, raw: str) -> None:
    value = raw.strip().replace(" ", "").replace("-", "")
    supervisee.phone_encrypted = encrypt(value)
    supervisee.phone_index = blind_index(value) if value else ""
    supervisee.phone_masked = mask_phone(value)


def _check_unique_identity(supervisee: Supervisee) -> None:
    duplicate = Supervisee.objects.filter(identity_number_index=supervisee.identity_number_index)
    if supervisee.pk:
        duplicate = duplicate.exclude(pk=supervisee.pk)
    if duplicate.exists():
        raise ValidationError({"identity_number": _("A supervisee with this identity number is already registered.")})


def _finish(supervisee: Supervisee) -> None:
    supervisee.name = supervisee.name.strip()
    supervisee.name_pinyin, supervisee.name_initials = pinyin_of(supervisee.name)
    supervisee.term_end = compute_term_end(supervisee.term_start, supervisee.term_months, supervisee.term_extra_days)
    supervisee.full_clean(exclude=["identity_number_index"])


@transaction.atomic
def create_supervisee(*, actor: Actor | None, identity_number: str, phone: str = "", **fields: Any) -> Supervisee:
    family = fields.pop("family_members", [])
    supervisee = Supervisee(**{k: v for k, v in fields.items() if k not in ("birth_date", "sex")})
    _apply_identity(supervisee, identity_number, check_fields=fields)
    _apply_phone(supervisee, phone)
    _finish(supervisee)
    _check_unique_identity(supervisee)
    supervisee.save()
    for member in family:
        supervisee.family_members.create(**member)
    if actor is not None:
        record_event(actor, action=Action.CREATE, target=supervisee)
    return supervisee


@transaction.atomic
def update_supervisee(
    *,
    actor: Actor | None,
    supervisee: Supervisee,
    identity_number: str | None = None,
    phone: str | None = None,
    **fields: Any,
) -> Supervisee:
    fields.pop("status", None)  # status changes only through change_status
    changed = sorted(fields)
    for name, value in fields.items():
        if name not in ("birth_date", "sex"):
            setattr(supervisee, name, value)
    if identity_number is not None and normalise(identity_number) != supervisee.identity_number:
        _apply_identity(supervisee, identity_number, check_fields=fields)
        changed.append("identity_number")
    elif fields.get("birth_date") or fields.get("sex"):
        _apply_identity(supervisee, supervisee.identity_number, check_fields=fields)
    if phone is not None and phone.strip() != supervisee.phone:
        _apply_phone(supervisee, phone)
        changed.append("phone")
    _finish(supervisee)
    _check_unique_identity(supervisee)
    supervisee.save()
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


def reveal_identity(*, actor: Actor, supervisee: Supervisee, field: str = "identity_number") -> str:
    """The clear identity or phone number, written to the audit log before it is returned."""
    if field not in ("identity_number", "phone"):
        raise ValueError(field)
    record_event(actor, action=Action.REVEAL, target=supervisee, detail={"field": field})
    return supervisee.identity_number if field == "identity_number" else supervisee.phone
