"""Learning time as a source of the services module's monthly study hours (services.hours).

Declared on LearningConfig.service_hour_sources; the services ledger adds these hours to what staff
recorded there, so online study is never typed in twice. Offline sessions are still recorded in
the ledger by staff.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from .models import GroupAttendance, StudySession

HOUR = Decimal(3600)
STUDY = "study"  # services.rules.STUDY


def study_hours(people: Any, first_day: dt.date, last_day: dt.date) -> dict[int, dict[str, Decimal]]:
    """{supervisee id: {"study": hours}} credited by the server in the days given, to a tenth of an hour."""
    rows = (
        StudySession.objects.filter(supervisee_id__in=people, studied_on__gte=first_day, studied_on__lte=last_day)
        .values("supervisee_id")
        .annotate(seconds=Sum("counted_seconds"))
    )
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        if row["seconds"]:
            found[row["supervisee_id"]][STUDY] = (Decimal(str(row["seconds"])) / HOUR).quantize(Decimal("0.1"))
    # Booked group sessions (讲师团) without a ledger record (booked before sign-ins wrote one): the session's hours
    # for each person who signed in. Sessions with a record count there; a session whose record staff deleted counts
    # nowhere (the deletion takes its hours off every attendee, as the ledger's delete page says).
    for row in (
        GroupAttendance.objects.filter(
            supervisee_id__in=people,
            held_on__gte=first_day,
            held_on__lte=last_day,
            session__service_record__isnull=True,
            session__ledger_record_deleted=False,
        )
        .values("supervisee_id")
        .annotate(hours=Sum("session__hours"))
    ):
        if row["hours"]:
            found[row["supervisee_id"]][STUDY] = found[row["supervisee_id"]].get(STUDY, Decimal(0)) + row["hours"]
    return found
