"""The per-account lockout: too many failures on one account from any addresses lock it.

django-axes locks a (username, address) pair after 5 failures; someone guessing from many
addresses never reached that. Here every failure on an existing account counts, wherever it
comes from: `failures` within `window_minutes` lock the account for `lock_minutes`
(settings.ZHENGTU_ACCOUNT_LOCKOUT). An administrator unlocks it on the user's page or with
`manage.py unlock_account`; both are audited.
"""

from __future__ import annotations

import datetime as dt

from axes.utils import reset as reset_axes
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, record_event

from .models import User

DEFAULTS = {"failures": 20, "window_minutes": 60, "lock_minutes": 30}


def lockout_rule(name: str) -> int:
    configured = getattr(settings, "ZHENGTU_ACCOUNT_LOCKOUT", {}) or {}
    return int(configured.get(name, DEFAULTS[name]))


def locked_until(username: str) -> dt.datetime | None:
    """When the account with this username may try again; None if it is not locked (or does not exist)."""
    if not username:
        return None
    until = User.objects.filter(username=username).values_list("locked_until", flat=True).first()
    if until is not None and until > timezone.now():
        return until
    return None


@transaction.atomic
def register_failed_login(user: User) -> bool:
    """Count one failure on the account; True when it has just been locked."""
    now = timezone.now()
    row = User.objects.select_for_update().filter(pk=user.pk).first()
    if row is None or (row.locked_until is not None and row.locked_until > now):
        return False
    window = dt.timedelta(minutes=lockout_rule("window_minutes"))
    if row.failed_logins_since is None or now - row.failed_logins_since > window:
        row.failed_logins, row.failed_logins_since = 0, now
    row.failed_logins += 1
    locked = row.failed_logins >= lockout_rule("failures")
    if locked:
        row.locked_until = now + dt.timedelta(minutes=lockout_rule("lock_minutes"))
        row.failed_logins, row.failed_logins_since = 0, None
    row.save(update_fields=["failed_logins", "failed_logins_since", "locked_until"])
    if locked:
        record_event(
            Actor(username="account_lockout"),
            action=Action.LOGIN_LOCKED,
            target=row,
            outcome=Outcome.DENIED,
            detail={"scope": "account", "locked_until": row.locked_until.isoformat() if row.locked_until else ""},
        )
    return locked


def clear_failed_logins(user: User) -> None:
    """After a successful login: earlier failures are forgiven (not a lock: the login was refused then)."""
    User.objects.filter(pk=user.pk, failed_logins__gt=0).update(failed_logins=0, failed_logins_since=None)


@transaction.atomic
def unlock_account(*, actor: Actor, user: User) -> None:
    """Lift the account lock and every (username, address) lock of django-axes for this username."""
    User.objects.filter(pk=user.pk).update(locked_until=None, failed_logins=0, failed_logins_since=None)
    was_locked = user.locked_until is not None and user.locked_until > timezone.now()
    user.locked_until, user.failed_logins, user.failed_logins_since = None, 0, None
    pairs = reset_axes(username=user.get_username())
    record_event(
        actor,
        action=Action.UPDATE,
        target=user,
        detail={"change": "unlocked", "account_was_locked": was_locked, "address_locks_cleared": pairs},
    )
