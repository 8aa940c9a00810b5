import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.projects import services
from zhengtu.projects.models import AdjustmentStatus, SpendingEntry
from zhengtu.projects.progress import budget_status
from zhengtu.projects.tests.conftest import actor
from zhengtu.workspace.models import Notification

DAY = dt.date(2026, 3, 31)


@pytest.fixture
def lines(pw):
    manager = actor(pw.manager)
    education = services.save_budget_line(
        actor=manager, project=pw.project, category="education", name="集中教育学习费", amount=Decimal("120000")
    )
    visits = services.save_budget_line(
        actor=manager, project=pw.project, category="visits", name="走访调查费用", amount=Decimal("100000")
    )
    return education, visits


@pytest.mark.django_db
def test_creating_a_project_is_for_managers_of_the_buying_bureau(world, pw):
    fields = {
        "name": "辰溪县项目",
        "buying_bureau": world.county_b,
        "agency": world.agency_a,
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "contract_amount": Decimal("500000"),
    }
    with pytest.raises(ValidationError) as caught:
        services.create_project(actor=actor(world.bureau_a), **fields)
    assert "只能为本单位或下级单位创建项目" in caught.value.message_dict["buying_bureau"][0]
    with pytest.raises(PermissionDenied):
        services.create_project(actor=actor(world.officer_a), **{**fields, "buying_bureau": world.county_a})
    with pytest.raises(ValidationError) as caught:
        services.create_project(
            actor=actor(world.bureau_a), **{**fields, "buying_bureau": world.county_a, "agency": world.office_a}
        )
    assert "agency" in caught.value.message_dict


@pytest.mark.django_db
def test_budget_lines_cannot_exceed_the_contract(pw, lines):
    with pytest.raises(ValidationError) as caught:
        services.save_budget_line(
            actor=actor(pw.manager), project=pw.project, category="personnel", name="人员开支", amount=Decimal("700000")
        )
    assert "超过合同金额" in caught.value.message_dict["amount"][0]


@pytest.mark.django_db
def test_overspending_a_line_needs_an_adjustment_approved_by_a_second_person(pw, lines):
    education, visits = lines
    manager = actor(pw.manager)
    services.record_spending(
        actor=manager, line=education, spent_on=DAY, amount=Decimal("100000"), description="讲师费"
    )
    with pytest.raises(ValidationError) as caught:
        services.record_spending(
            actor=manager, line=education, spent_on=DAY, amount=Decimal("30000"), description="教材"
        )
    assert "超支10,000.00元" in caught.value.message_dict["amount"][0]
    assert SpendingEntry.objects.count() == 1

    adjustment = services.request_adjustment(
        actor=manager, line=education, source_line=visits, amount=Decimal("10000"), reason="增加两场专题教育"
    )
    assert Notification.objects.filter(recipient=pw.bureau, kind="budget_adjustment").exists()
    with pytest.raises(ValidationError) as caught:
        services.decide_adjustment(actor=manager, adjustment=adjustment, approve=True)
    assert "须由另一人审批" in caught.value.messages[0]
    with pytest.raises(ValidationError):  # still pending: spending is still refused
        services.record_spending(
            actor=manager, line=education, spent_on=DAY, amount=Decimal("30000"), description="教材"
        )

    services.decide_adjustment(actor=actor(pw.bureau), adjustment=adjustment, approve=True, note="同意")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED and adjustment.decided_by == pw.bureau
    services.record_spending(actor=manager, line=education, spent_on=DAY, amount=Decimal("30000"), description="教材")
    status = {s.line.name: s for s in budget_status(pw.project)}
    assert status["集中教育学习费"].allowance == Decimal("130000.00") and status["集中教育学习费"].balance == 0
    assert status["走访调查费用"].allowance == Decimal("90000.00")
    assert AuditEntry.objects.filter(action=Action.APPROVE, object_type="projects.budgetadjustment").exists()
    with pytest.raises(ValidationError):
        services.decide_adjustment(actor=actor(pw.bureau), adjustment=adjustment, approve=False)


@pytest.mark.django_db
def test_a_line_cannot_give_more_than_it_has_left(pw, lines):
    education, visits = lines
    services.record_spending(
        actor=actor(pw.manager), line=visits, spent_on=DAY, amount=Decimal("95000"), description="走访交通费"
    )
    with pytest.raises(ValidationError) as caught:
        services.request_adjustment(
            actor=actor(pw.manager), line=education, source_line=visits, amount=Decimal("6000"), reason="调剂"
        )
    assert "仅剩5,000.00元可调出" in caught.value.message_dict["source_line"][0]


@pytest.mark.django_db
def test_spending_checks(pw, lines):
    education, _visits = lines
    manager = actor(pw.manager)
    with pytest.raises(ValidationError) as caught:
        services.record_spending(
            actor=manager, line=education, spent_on=dt.date(2099, 1, 1), amount=Decimal("-1"), description=""
        )
    assert set(caught.value.message_dict) == {"spent_on", "amount", "description"}
    with pytest.raises(PermissionDenied):
        services.record_spending(
            actor=actor(pw.worker), line=education, spent_on=DAY, amount=Decimal("1"), description="x"
        )


@pytest.mark.django_db
def test_targets_and_funds(pw):
    manager = actor(pw.manager)
    target = services.set_target(
        actor=manager, project=pw.project, indicator="education_sessions",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), target_value=156,
    )  # fmt: skip
    again = services.set_target(
        actor=manager, project=pw.project, indicator="education_sessions",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), target_value=160,
    )  # fmt: skip
    assert again.pk == target.pk and again.target_value == 160
    with pytest.raises(ValidationError) as caught:
        services.set_target(
            actor=manager, project=pw.project, indicator="no_such_thing",
            period_start=dt.date(2025, 1, 1), period_end=dt.date(2026, 12, 31), target_value=1,
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"indicator", "period_start"}
    services.record_fund_receipt(actor=manager, project=pw.project, received_on=DAY, amount=Decimal("890980"))
    with pytest.raises(ValidationError):
        services.record_fund_receipt(actor=manager, project=pw.project, received_on=DAY, amount=Decimal("1"))
