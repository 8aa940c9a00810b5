"""Demo pre-sentence investigations in each demo county bureau: one to assign, one being investigated, one
answered. DEMO DATA ONLY. Idempotent: nothing is added where the bureau already has investigations."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.documents.rendering import html_to_pdf
from zhengtu.orgs.models import Organisation, OrganisationKind

from .models import Investigation, Opinion
from .services import assign, decide_opinion, receive_commission, record_interview, submit_opinion

logger = logging.getLogger(__name__)

PEOPLE = (
    ("向某军", "危险驾驶罪", "probation", "（{year}）湘1224刑初{n}号"),
    ("舒某华", "盗窃罪", "probation", "（{year}）湘1224刑初{n}号"),
    ("米某兰", "帮助信息网络犯罪活动罪", "control", "（{year}）湘1224刑初{n}号"),
)


def _commission_letter(bureau: Organisation, name: str, number: str) -> SimpleUploadedFile:
    """A short 委托函 as the scanned letter that came with the commission (its download page shows it)."""
    html = (
        f"<h1>调查评估委托函</h1><p>{escape(number)}</p><p>{escape(bureau.name)}：</p>"
        f"<p>我院受理的被告人{escape(name)}一案，拟适用社区矫正，请对其进行调查评估并于规定期限内反馈意见。</p>"
    )
    return SimpleUploadedFile("调查评估委托函.pdf", html_to_pdf(html), content_type="application/pdf")


@transaction.atomic
def _seed_bureau(bureau: Organisation, head: User, officer: User, office: Organisation, today: dt.date) -> int:
    made = []
    for index, (name, crime, sentence, number) in enumerate(PEOPLE):
        made.append(
            receive_commission(
                actor=Actor(user=head, username=head.username),
                bureau=bureau,
                organ_kind="court",
                organ_name=f"{bureau.name[:3]}人民法院",
                commission_number=number.format(year=today.year, n=300 + index),
                received_on=today - dt.timedelta(days=6 - 2 * index),
                person_name=name,
                person_type="defendant",
                crime=crime,
                proposed_sentence=sentence,
                residence_address=f"{office.name[:2]}镇",
                urgent=index == 2,
                documents=[_commission_letter(bureau, name, number.format(year=today.year, n=300 + index))],
                document_titles=["调查评估委托函"],
            )
        )
    answered, investigating = made[0], made[1]
    for investigation in (answered, investigating):
        assign(actor=Actor(user=head, username=head.username), investigation=investigation, office=office)
        record_interview(
            actor=Actor(user=officer, username=officer.username),
            investigation=investigation,
            kind="family",
            person="家属",
            held_on=today - dt.timedelta(days=1),
            notes="家庭关系和睦，愿意协助监督。",
        )
    submit_opinion(
        actor=Actor(user=officer, username=officer.username),
        investigation=answered,
        home_circumstances="与父母同住，有固定住所和收入。",
        attitude="认罪认罚，积极赔偿被害人损失。",
        opinion=Opinion.SUITABLE,
        opinion_text="具备社区矫正的监管条件。",
    )
    decide_opinion(actor=Actor(user=head, username=head.username), investigation=answered, approve=True)
    return len(made)


def seed(*, scale: str) -> None:
    today = timezone.localdate()
    total = 0
    for bureau in Organisation.objects.filter(
        kind=OrganisationKind.COUNTY_BUREAU, members__role=Role.BUREAU_ADMIN
    ).distinct()[:2]:
        if Investigation.objects.filter(bureau=bureau).exists():
            continue
        head = User.objects.filter(organisation=bureau, role=Role.BUREAU_ADMIN, is_active=True).first()
        officer = (
            User.objects.filter(role=Role.OFFICE_OFFICER, is_active=True, organisation__path__startswith=bureau.path)
            .select_related("organisation")
            .first()
        )
        if head is None or officer is None or officer.organisation is None:
            continue
        total += _seed_bureau(bureau, head, officer, officer.organisation, today)
    logger.info("Investigations demo: %d commissions.", total)
