"""Background jobs of the supervision workflow (Huey; in-process on the embedded shape)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.contact import open_searches_for_unreachable
from .services.due import refresh_due_items
from .services.expiry import send_expiry_reminders

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="1", minute="15"))
def refresh_due_items_daily() -> int:
    """Every night: what is due or overdue for everyone, for "my tasks" and the dashboard."""
    count = refresh_due_items()
    logger.info("Supervision due items refreshed: %d items.", count)
    return count


@db_periodic_task(crontab(minute="20"))
def open_searches_hourly() -> int:
    """Every hour: open a search (找寻) for each person who cannot be reached (services/contact.py)."""
    count = open_searches_for_unreachable()
    if count:
        logger.warning("Searches opened for %d people out of contact.", count)
    return count


@db_periodic_task(crontab(hour="7", minute="30"))
def send_expiry_reminders_daily() -> int:
    """Every morning: tell officers which time-limited permits and leave end soon (each one once)."""
    count = send_expiry_reminders()
    logger.info("Expiry reminders sent: %d.", count)
    return count
