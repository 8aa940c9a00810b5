"""My tasks and the prosecutor's follow-up of conditional non-prosecution cases."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.juvenile.services import investigations as inv
from zhengtu.juvenile.services import measures
from zhengtu.juvenile.services.sealing import request_sealed_read, seal_case
from zhengtu.juvenile.tasks import tasks_for

from .conftest import Juvenile, accepted


def test_tasks_name_the_case_not_the_child_and_respect_sealing(juv: Juvenile) -> None:
    referred = juv.refer()
    kinds = {t.kind: t for t in tasks_for(juv.colleague)}
    assert kinds["juvenile_referral"].subject == referred.number
    assert all("王小明" not in t.title for t in tasks_for(juv.colleague))
    assert tasks_for(juv.worker_b) == [] and tasks_for(juv.officer_a) == []

    case = accepted(juv, child_name="李小红")
    measures.start_non_prosecution(
        actor=Actor(user=juv.prosecutor_a),
        case=case,
        decided_on=timezone.localdate() - dt.timedelta(days=40),
        test_months=6,
        obligations="按时报告",
    )
    assert any(t.kind == "juvenile_periodic_report" and t.subject == case.number for t in tasks_for(juv.colleague))
    seal_case(actor=Actor(user=juv.worker), case=case, basis="依法封存")
    assert not any(t.subject == case.number for t in tasks_for(juv.colleague))
    assert any(t.subject == case.number for t in tasks_for(juv.worker))


def test_approvers_see_reports_to_approve_and_sealed_reads(juv: Juvenile) -> None:
    case = accepted(juv)
    investigation = inv.request_investigation(actor=Actor(user=juv.prosecutor_a), case=case)
    inv.record_interview(
        actor=Actor(user=juv.worker), investigation=investigation, informant_kind="guardian", informant_name="王建国",
        held_on=timezone.localdate(), section="causes", statement="疏于管教",
    )  # fmt: skip
    inv.edit_report(
        actor=Actor(user=juv.worker), investigation=investigation, sections={"conclusions": "a", "recommendations": "b"}
    )
    inv.submit_report(actor=Actor(user=juv.worker), investigation=investigation)
    assert any(t.kind == "juvenile_report_approval" for t in tasks_for(juv.manager))
    seal_case(actor=Actor(user=juv.worker), case=case, basis="依法封存")
    request_sealed_read(actor=Actor(user=juv.colleague), case_number=case.number, legal_basis="依法办理关联案件需查询")
    assert any(t.kind == "juvenile_sealed_read" for t in tasks_for(juv.bureau_a))


def test_prosecutor_follows_their_non_prosecution_cases(juv: Juvenile, client, login) -> None:  # type: ignore[no-untyped-def]
    case = accepted(juv)
    decided = timezone.localdate() - dt.timedelta(days=40)
    supervision = measures.start_non_prosecution(
        actor=Actor(user=juv.prosecutor_a), case=case, decided_on=decided, test_months=6, obligations="按时报告"
    )
    measures.add_periodic_report(
        actor=Actor(user=juv.worker), supervision=supervision, period_start=decided,
        period_end=decided + dt.timedelta(days=30), content="表现良好",
    )  # fmt: skip
    login(client, juv.prosecutor_a)
    page = client.get(reverse("juvenile:received")).content.decode()
    assert case.number in page and supervision.ends_on.isoformat() in page
    login(client, juv.prosecutor_b)
    assert case.number not in client.get(reverse("juvenile:received")).content.decode()
