"""Scheduled audit jobs (Huey): the nightly retention purge, the nightly check of the chain and
the checkpoints of its head every few minutes."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.workspace.services import notify

from .anonymous import summarise_closed_windows
from .chain import verify_chain
from .services import Actor, purge_expired_entries, write_checkpoint

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="40"))
def purge_expired_audit_entries() -> int:
    result = purge_expired_entries(actor=Actor(username="scheduled_purge"))
    logger.info("Audit purge: %d entries older than %s deleted.", result.entry_count, result.cutoff.isoformat())
    return result.entry_count


@db_periodic_task(crontab(minute="*/10"))
def summarise_anonymous_failures() -> int:
    """One audit entry per source and window for anonymous failures that were only counted."""
    return summarise_closed_windows()


@db_periodic_task(crontab(hour="3", minute="10"))
def check_audit_chain() -> bool:
    """Walk the chain every night; bureau and system administrators are told at once when it is broken."""
    report = verify_chain()
    if report.intact:
        logger.info("Audit chain intact: %d entries.", report.checked)
        return True
    assert report.problem is not None
    logger.error("Audit chain NOT intact: %s", report.problem.message())
    with translation.override("zh-hans"):
        notify(
            _audit_guardians(),
            title=_("Audit log NOT intact: %(problem)s") % {"problem": report.problem.message()},
            kind="audit_chain_broken",
        )
    return False


def _audit_guardians() -> QuerySet[User]:
    return User.objects.filter(Q(is_superuser=True) | Q(role=Role.BUREAU_ADMIN), is_active=True)


@db_periodic_task(crontab(minute=f"*/{max(1, min(59, settings.ZHENGTU_AUDIT_CHECKPOINT_MINUTES))}"))
def checkpoint_audit_chain() -> int | None:
    """Anchor the head outside the database, so that a cut-off tail is found by the next check."""
    checkpoint = write_checkpoint()
    if checkpoint is None:
        return None
    if getattr(settings, "ZHENGTU_AUDIT_CHECKPOINT_NOTIFY", False):
        with translation.override("zh-hans"):
            notify(
                _audit_guardians(),
                title=_("Audit checkpoint: entry #%(sequence)d, hash %(hash)s")
                % {"sequence": checkpoint.sequence, "hash": checkpoint.entry_hash[:16]},
                kind="audit_checkpoint",
            )
    return checkpoint.sequence
