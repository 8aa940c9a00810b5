"""Background jobs of the supervision workflow (Huey; in-process on the embedded shape)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.due import refresh_due_items

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="1", minute="15"))
def refresh_due_items_daily() -> int:
    """Every night: what is due or overdue for everyone, for "my tasks" and the dashboard."""
    count = refresh_due_items()
    logger.info("Supervision due items refreshed: %d items.", count)
    return count
