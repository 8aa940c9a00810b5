import datetime as dt
from decimal import Decimal

import pytest

from zhengtu.projects import services
from zhengtu.projects.tasks import tasks_for
from zhengtu.projects.tests.conftest import actor


@pytest.mark.django_db
def test_adjustments_to_decide_and_indicators_behind_schedule(pw):
    line = services.save_budget_line(
        actor=actor(pw.manager), project=pw.project, category="visits", name="走访调查费用", amount=Decimal("100000")
    )
    services.request_adjustment(actor=actor(pw.manager), line=line, amount=Decimal("1000"), reason="山区交通")
    services.set_target(
        actor=actor(pw.manager), project=pw.project, indicator="education_sessions",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), target_value=156,
    )  # fmt: skip
    bureau_tasks = {t.kind for t in tasks_for(pw.bureau, today=dt.date(2026, 6, 30))}
    assert bureau_tasks == {"budget_adjustment", "kpi_behind"}
    manager_tasks = tasks_for(pw.manager, today=dt.date(2026, 6, 30))
    assert [t.kind for t in manager_tasks] == ["kpi_behind"]  # not their own request
    assert "教育学习进度滞后：已完成0" in manager_tasks[0].title
    assert tasks_for(pw.manager, today=dt.date(2026, 1, 3)) == []  # three days in, nothing is behind yet
    assert tasks_for(pw.outsider, today=dt.date(2026, 6, 30)) == []
    assert tasks_for(pw.worker, today=dt.date(2026, 6, 30)) == []
