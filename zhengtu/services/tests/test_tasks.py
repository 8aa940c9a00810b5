import datetime as dt
from decimal import Decimal

import pytest

from zhengtu.services.models import ServiceKind
from zhengtu.services.services import record_service
from zhengtu.services.tasks import tasks_for
from zhengtu.services.tests.conftest import actor


@pytest.mark.django_db
def test_my_tasks_list_shortfalls_near_month_end_and_missed_months_after(pw, people, world):
    for kind in (ServiceKind.EDUCATION, ServiceKind.COMMUNITY_SERVICE):
        record_service(
            actor=actor(pw.worker),
            project=pw.project,
            kind=kind,
            held_on=dt.date(2026, 3, 2),
            duration_hours=Decimal("12"),
            topic="学习与服务",
            attendees=people[:1],
        )
    mid_month = tasks_for(pw.worker, today=dt.date(2026, 3, 15))
    assert mid_month == []
    near_end = tasks_for(pw.worker, today=dt.date(2026, 3, 25))
    assert {t.subject for t in near_end} == {p.name for p in people[1:]}
    assert all(t.due == dt.date(2026, 3, 31) and not t.overdue for t in near_end)
    assert "教育学习 0/12小时" in near_end[0].title
    next_month = tasks_for(pw.worker, today=dt.date(2026, 4, 2))
    missed = [t for t in next_month if t.overdue]
    assert {t.subject for t in missed} == {p.name for p in people[1:]}
    assert tasks_for(world.officer_b, today=dt.date(2026, 3, 25)) == []
    assert tasks_for(pw.bureau, today=dt.date(2026, 3, 25)) == []  # bureau admins do not record services
