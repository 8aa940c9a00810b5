"""Jobs of the face checks (Huey): photos past their retention period are deleted nightly."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="41", hour="3"))
def purge_face_photos() -> None:
    from zhengtu.audit.services import Actor

    from .services import purge_expired_photos

    purge_expired_photos(actor=Actor(username="retention"))
