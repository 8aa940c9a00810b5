"""Writes about accounts: enrolment of the second factor, passwords, and user management."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtu.api.services import revoke_all_tokens
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability
from zhengtu.orgs.models import Organisation

from . import lockout
from .models import User
from .roles import ASSIGNABLE_ROLES, ROLE_ORGANISATION_KINDS, Capability, Role

DEVICE_NAME = "authenticator"
EDITABLE_USER_FIELDS = ("full_name", "role", "organisation", "title", "phone")


# --- second factor -------------------------------------------------------------------------


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device shown on the enrolment page (the same one until it is confirmed)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk")
    device = pending.first()
    if device is None:
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    pending.exclude(pk=device.pk).delete()
    return device


@transaction.atomic
def confirm_totp_enrolment(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm the device with its first code; the session is then verified. False if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record_event(request, action=Action.OTP_ENROLLED, target=device.user, detail={"device": device.name})
    return True


@transaction.atomic
def reset_two_factor(*, actor: Actor, user: User) -> int:
    """Remove every second-factor device (lost phone): the user enrols again at the next login.

    API tokens were obtained with the old device, so they are revoked too.
    """
    _check_manageable(actor, user)
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    tokens = revoke_all_tokens(actor=actor, user=user, reason="two_factor_reset")
    record_event(
        actor,
        action=Action.UPDATE,
        target=user,
        detail={"change": "two_factor_reset", "devices": removed, "tokens": tokens},
    )
    return removed


# --- passwords -----------------------------------------------------------------------------


@transaction.atomic
def change_own_password(*, request: HttpRequest, user: User, new_password: str) -> None:
    """The user's own change (old password checked by the form); the current session stays valid.

    Every API token is revoked: a password change is what someone does who fears it leaked, and
    a token obtained with the old password must not outlive it.
    """
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    revoke_all_tokens(actor=Actor.from_request(request), user=user, reason="password_changed")
    record_event(request, action=Action.UPDATE, target=user, detail={"change": "password"})


@transaction.atomic
def set_user_password(*, actor: Actor, user: User, new_password: str) -> None:
    """An administrator sets a new password (forgotten password); the user's API tokens are revoked."""
    _check_manageable(actor, user)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoke_all_tokens(actor=actor, user=user, reason="password_reset")
    record_event(actor, action=Action.UPDATE, target=user, detail={"change": "password_reset"})


# --- user management -----------------------------------------------------------------------


def unlock_account(*, actor: Actor, user: User) -> None:
    """Lift the per-account lock and the (username, address) locks; only for a manager of the account."""
    _check_manageable(actor, user)
    lockout.unlock_account(actor=actor, user=user)


@transaction.atomic
def create_user(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    organisation: Organisation,
    full_name: str = "",
    title: str = "",
    phone: str = "",
) -> User:
    _check_role_and_organisation(actor, role, organisation)
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        role=role,
        organisation=organisation,
        title=title.strip(),
        phone=phone.strip(),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    record_event(actor, action=Action.CREATE, target=user, detail={"role": role, "organisation": organisation.name})
    return user


@transaction.atomic
def update_user(*, actor: Actor, user: User, **fields: Any) -> User:
    unknown = set(fields) - set(EDITABLE_USER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _check_manageable(actor, user)
    editing_self = actor.user is not None and actor.user.pk == user.pk and not actor.user.is_superuser
    moves_self = (
        fields.get("role", user.role) != user.role or fields.get("organisation", user.organisation) != user.organisation
    )
    if editing_self and moves_self:
        raise ValidationError(_("Your own role and organisation are changed by an administrator above you."))
    role = fields.get("role", user.role)
    organisation = fields.get("organisation", user.organisation)
    if "role" in fields or "organisation" in fields:
        if organisation is None:
            raise ValidationError({"organisation": _("Choose an organisation.")})
        _check_role_and_organisation(actor, role, organisation)
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) and name != "role" else value)
    user.full_clean(exclude=["password"])
    user.save()
    if changed:
        record_event(actor, action=Action.UPDATE, target=user, detail={"fields": changed})
    return user


@transaction.atomic
def set_user_active(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivate (the account can no longer log in or use its API tokens) or reactivate."""
    _check_manageable(actor, user)
    if not active and actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        revoke_all_tokens(actor=actor, user=user, reason="deactivated")
    record_event(actor, action=Action.UPDATE, target=user, detail={"change": "activated" if active else "deactivated"})
    return user


def _check_role_and_organisation(actor: Actor, role: str, organisation: Organisation) -> None:
    _require_user_manager(actor)
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError({"role": _("This role cannot be given on this page.")})
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ValidationError(
            {
                "organisation": _("A %(role)s cannot work in a %(kind)s.")
                % {"role": Role(role).label, "kind": organisation.get_kind_display()}
            }
        )
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    manager = actor.user
    if (
        manager is not None
        and not manager.is_superuser
        and (manager.organisation is None or not organisation.path.startswith(manager.organisation.path))
    ):
        raise ValidationError({"organisation": _("This organisation is outside the part of the tree you manage.")})


def _require_user_manager(actor: Actor) -> None:
    """Only account managers change others' accounts (the pages check it too; here the API cannot differ)."""
    manager = actor.user
    if manager is not None and not manager.is_superuser:
        require_capability(manager, Capability.MANAGE_USERS)


def _check_manageable(actor: Actor, user: User) -> None:
    _require_user_manager(actor)
    manager = actor.user
    if manager is None or manager.is_superuser:
        return
    if user.is_superuser:
        raise ValidationError(_("System administrators are managed by other system administrators."))
    if (
        manager.organisation is None
        or user.organisation is None
        or not user.organisation.path.startswith(manager.organisation.path)
    ):
        raise ValidationError(_("This account is outside the part of the tree you manage."))


@transaction.atomic
def create_administrator(*, actor: Actor, username: str, password: str, full_name: str = "") -> User:
    """A system administrator (superuser) with no organisation: the first account of a real installation.

    No second factor is created here: the administrator enrols one at the first login, so no TOTP
    secret is ever printed or stored outside the database.
    """
    user = User(username=username.strip(), full_name=full_name.strip(), is_superuser=True, is_staff=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])  # refuses a taken or malformed username
    validate_password(password, user)
    user.set_password(password)
    user.save()
    record_event(actor, action=Action.CREATE, target=user, detail={"role": "system administrator"})
    return user
