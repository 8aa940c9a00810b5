"""The daily job: what is due for everyone, term endings and monitoring periods ending."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from zhengtu.supervision.models import DueItem, DueKind
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.monitoring import request_monitoring
from zhengtu.supervision.tasks import refresh_due_items_daily

from ..conftest import actor, supervised, today


def test_the_daily_job_flags_terms_ending_within_the_reminder(world) -> None:  # type: ignore[no-untyped-def]
    ending = supervised(
        world.office_a,
        world.officer_a,
        term_start=today() - relativedelta(months=12) + dt.timedelta(days=20),
        term_months=12,
    )
    far = supervised(world.office_a, world.officer_a)
    DueItem.objects.all().delete()
    refresh_due_items_daily.call_local()
    assert DueItem.objects.filter(supervisee=ending, kind=DueKind.TERM_ENDING, due_on=ending.term_end).exists()
    assert not DueItem.objects.filter(supervisee=far, kind=DueKind.TERM_ENDING).exists()


def test_a_monitoring_period_ending_soon_is_due_unless_an_extension_is_pending(people, world) -> None:  # type: ignore[no-untyped-def]
    monitoring = request_monitoring(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        situation="police_penalty",
        facts="受到治安管理处罚",
        start_date=today(),
        end_date=today() + dt.timedelta(days=5),
    )
    decide(actor=actor(world.bureau_a), request=monitoring.approval, approve=True)
    refresh_due_items_daily.call_local()
    item = DueItem.objects.get(supervisee=people.supervisee, kind=DueKind.MONITORING_ENDING)
    assert item.due_on == monitoring.end_date
    monitoring.refresh_from_db()
    request_monitoring(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        situation="police_penalty",
        facts="仍需监管",
        start_date=today(),
        end_date=monitoring.end_date + dt.timedelta(days=30),
        extends=monitoring,
    )
    refresh_due_items_daily.call_local()
    assert not DueItem.objects.filter(supervisee=people.supervisee, kind=DueKind.MONITORING_ENDING).exists()
