"""Browser journey of juvenile judicial social work: a prosecutor refers a case and asks for a social
investigation; a social worker interviews, drafts and sends the report; the prosecutor receives it; a volunteer
is assigned and logs hours; the case is sealed and a colleague's search shows nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from e2e.conftest import sign_in_with_session
from zhengtu.juvenile.tests.conftest import juv  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _page(browser: Any, base_url: str, user: Any) -> Any:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in_with_session(context, base_url, user)
    return context.new_page()


def test_referral_investigation_volunteer_and_sealing(browser: Any, live_server: Any, juv: Any) -> None:  # noqa: F811
    from decimal import Decimal

    from zhengtu.audit.services import Actor
    from zhengtu.juvenile.models import JuvenileCase
    from zhengtu.supervision.tests.pdf import pdf_text
    from zhengtu.volunteers.services import register_volunteer

    base = live_server.url
    today = dt.date.today()

    # The prosecutor refers the case to the county's agency and asks for a social investigation.
    prosecutor = _page(browser, base, juv.prosecutor_a)
    prosecutor.goto(f"{base}/")
    prosecutor.click("nav >> text=转介未成年人案件")
    prosecutor.select_option("select[name=service_type]", "social_investigation")
    prosecutor.fill("input[name=child_name]", "彭小军")
    prosecutor.select_option("select[name=sex]", "male")
    prosecutor.fill("input[name=birth_date]", "2010-03-15")
    prosecutor.select_option("select[name=agency]", str(juv.agency_a.pk))
    prosecutor.fill("textarea[name=summary]", "涉嫌抢夺，请开展社会调查")
    prosecutor.fill("input[name=guardian_name]", "彭建军")
    prosecutor.fill("input[name=guardian_relation]", "父亲")
    prosecutor.check("input[name=child_consent]")
    prosecutor.check("input[name=guardian_consent]")
    prosecutor.click("button[type=submit]")
    prosecutor.wait_for_url("**/juvenile/cases/*/")
    case = JuvenileCase.objects.get(child_name="彭小军")
    prosecutor.click("text=委托社会调查")
    prosecutor.click("button[type=submit]")
    prosecutor.wait_for_url("**/juvenile/investigations/*/")
    investigation_url = prosecutor.url

    # The social worker accepts the case and runs the investigation.
    worker = _page(browser, base, juv.worker)
    worker.goto(f"{base}/juvenile/cases/{case.pk}/")
    worker.fill("textarea[name=content]", "与未成年人及其父亲面谈，签署知情同意书")
    worker.click("button[value=accept]")
    worker.wait_for_selector("#stage:has-text('接案')")
    worker.goto(investigation_url)
    for kind, name, section, said in (
        ("guardian", "彭建军", "family_and_guardianship", "母亲外出务工，由父亲一人抚养"),
        ("school", "李老师", "school_or_work", "初二学生，近期多次旷课"),
    ):
        worker.click("text=记录访谈")
        worker.select_option("select[name=informant_kind]", kind)
        worker.fill("input[name=informant_name]", name)
        worker.fill("input[name=held_on]", today.isoformat())
        worker.select_option("select[name=section]", section)
        worker.fill("textarea[name=statement]", said)
        worker.click("button[type=submit]")
        worker.wait_for_selector(f"#interviews >> text={name}")
    worker.click("text=根据访谈生成草稿")
    worker.wait_for_selector("#report >> text=由父亲一人抚养")
    worker.click("#report >> text=编辑")
    worker.fill("textarea[name=conclusions]", "监护能力不足，人身危险性较低")
    worker.fill("textarea[name=recommendations]", "建议附条件不起诉并开展帮教")
    worker.click("button[type=submit]")
    worker.click("text=提交审核")
    worker.wait_for_selector("#status:has-text('待审批')")

    manager = _page(browser, base, juv.manager)
    manager.goto(investigation_url)
    manager.click("#report button:has-text('同意')")
    manager.wait_for_selector("#status:has-text('已批准')")

    worker.goto(investigation_url)
    worker.click("text=送达委托机关")
    worker.wait_for_selector("#report-pdf")

    # The prosecutor receives it.
    prosecutor.goto(f"{base}/")
    prosecutor.click("nav >> text=收到的调查报告")
    prosecutor.wait_for_selector(f"#received >> text={case.number}")
    href = prosecutor.get_attribute("#received >> text=PDF", "href")
    report = prosecutor.context.request.get(f"{base}{href}")
    assert report.headers["content-type"] == "application/pdf"
    assert "建议附条件不起诉并开展帮教" in pdf_text(report.body())

    # A volunteer is assigned to the case and logs hours.
    register_volunteer(
        actor=Actor(user=juv.worker),
        organisation=juv.agency_a,
        name="曾雅琴",
        skills="课业辅导",
        background_checked_on=today - dt.timedelta(days=60),
        training_hours=Decimal(10),
    )
    worker.goto(f"{base}/volunteers/")
    worker.click("#volunteers >> text=曾雅琴")
    worker.click("text=指派")
    worker.select_option("select[name=juvenile_case]", str(case.pk))
    worker.fill("input[name=task]", "每周课业辅导")
    worker.click("button[type=submit]")
    worker.wait_for_selector(".assignment")
    worker.fill(".assignment input[name=worked_on]", today.isoformat())
    worker.fill(".assignment input[name=hours]", "2")
    worker.fill(".assignment input[name=activity]", "数学辅导")
    worker.click(".assignment >> text=登记时长")
    worker.wait_for_selector(".assignment >> text=数学辅导")

    # A colleague sees the case until it is sealed; afterwards the search shows nothing.
    colleague = _page(browser, base, juv.colleague)
    colleague.goto(f"{base}/juvenile/?q=彭小军")
    colleague.wait_for_selector(f"#cases >> text={case.number}")

    worker.goto(f"{base}/juvenile/cases/{case.pk}/")
    worker.fill("input[name=basis]", "（2026）湘1224刑初21号判决，依刑事诉讼法第二百八十六条封存")
    worker.click("button:has-text('封存')")
    worker.wait_for_selector("#sealed-badge")

    colleague.goto(f"{base}/juvenile/?q=彭小军")
    colleague.wait_for_selector("#cases >> text=暂无案件")
    assert case.number not in colleague.content()
    response = colleague.goto(f"{base}/juvenile/cases/{case.pk}/")
    assert response is not None and response.status == 404
