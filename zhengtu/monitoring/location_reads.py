"""Audit of reads of where people are now (PIPL art. 28, Community Corrections Law art. 29).

Track playback was audited (services.view_track); the current position was not, though it is
the more sensitive of the two. Every read of current locations writes one entry: the latest
positions API, the command-center map data, the opening of the live stream (and each change of
the set of people it covers), an alert's page and its API detail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor, record_event

OBJECT_TYPE = "monitoring.location"
# Ids listed in one entry; the count is always complete.
LISTED_IDS = 500


def record_location_read(
    actor: Actor | Any,
    *,
    what: str,
    supervisee_ids: Iterable[int] = (),
    target: models.Model | None = None,
    **detail: Any,
) -> AuditEntry:
    ids = sorted(set(supervisee_ids))
    return record_event(
        actor,
        action=Action.VIEW,
        target=target,
        object_type="" if target is not None else OBJECT_TYPE,
        detail={"what": what, "supervisees": ids[:LISTED_IDS], "count": len(ids), **detail},
    )
