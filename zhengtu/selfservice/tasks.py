"""Jobs of the app (Huey): spot checks (ask on schedule, mark missed ones), Web Push delivery."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*"))
def expire_spot_checks() -> None:
    from .services.spotchecks import expire_spot_checks as expire

    expire()


@db_periodic_task(crontab(minute="5"))
def schedule_spot_checks() -> None:
    from .services.spotchecks import schedule_spot_checks as schedule

    schedule()


@db_task(retries=2, retry_delay=60)
def deliver_push(user_id: int, payload: dict[str, str]) -> None:
    from .push import push_to_user

    push_to_user(user_id, payload)
