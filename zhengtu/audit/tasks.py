"""Scheduled audit jobs (Huey): the nightly retention purge and a nightly check of the chain."""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengtu.accounts.models import User
from zhengtu.workspace.services import notify

from .chain import verify_chain
from .services import Actor, purge_expired_entries

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="40"))
def purge_expired_audit_entries() -> int:
    result = purge_expired_entries(actor=Actor(username="scheduled_purge"))
    logger.info("Audit purge: %d entries older than %s deleted.", result.entry_count, result.cutoff.isoformat())
    return result.entry_count


@db_periodic_task(crontab(hour="3", minute="10"))
def check_audit_chain() -> bool:
    """Walk the chain every night; system administrators are told at once when it is broken."""
    report = verify_chain()
    if report.intact:
        logger.info("Audit chain intact: %d entries.", report.checked)
        return True
    assert report.problem is not None
    logger.error("Audit chain NOT intact: %s", report.problem.message())
    with translation.override("zh-hans"):
        notify(
            User.objects.filter(is_superuser=True, is_active=True),
            title=_("Audit log NOT intact: %(problem)s") % {"problem": report.problem.message()},
            kind="audit_chain_broken",
        )
    return False
