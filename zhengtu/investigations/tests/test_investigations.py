"""The pre-sentence investigation from commission to outcome, its working-day time limit, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from zhengtu.audit.services import Actor
from zhengtu.investigations.models import InvestigationStatus, Opinion, Outcome
from zhengtu.investigations.services import (
    answer_due,
    assign,
    decide_opinion,
    receive_commission,
    record_interview,
    record_outcome,
    submit_opinion,
)
from zhengtu.supervision.services.intake import register_intake
from zhengtu.testing.factories import make_identity_number, make_supervisee
from zhengtu.workdays.services import create_year

IDENTITY = make_identity_number("431224", dt.date(1990, 3, 4), 917, "male")


def _commission(world, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "bureau": world.county_a,
        "organ_kind": "court",
        "organ_name": "溆浦县人民法院",
        "commission_number": "（2026）湘1224刑初88号",
        "received_on": dt.date.today() - dt.timedelta(days=1),
        "person_name": "王某某",
        "person_type": "defendant",
        "crime": "危险驾驶罪",
        "proposed_sentence": "probation",
        "identity_number": IDENTITY,
        "residence_address": "溆浦县卢峰镇新华路3号",
    }
    values.update(overrides)
    return receive_commission(actor=Actor(user=world.bureau_a), **values)


def test_the_answer_is_due_in_ten_working_days_across_national_day_and_five_when_urgent(world) -> None:  # type: ignore[no-untyped-def]
    create_year(actor=Actor(user=world.bureau_a), year=2026)
    received = dt.date(2026, 9, 28)  # Monday before the National Day holiday (Oct 1–7, Saturday Oct 10 worked)
    assert answer_due(received, urgent=False) == (dt.date(2026, 10, 16), False)
    assert answer_due(received, urgent=True) == (dt.date(2026, 10, 10), False)
    with override_settings(ZHENGTU_INVESTIGATION_RULES={"answer_working_days": 3}):
        assert answer_due(received, urgent=False)[0] == dt.date(2026, 10, 8)


def _investigate(world):  # type: ignore[no-untyped-def]
    investigation = _commission(world)
    assign(actor=Actor(user=world.bureau_a), investigation=investigation, office=world.office_a)
    with pytest.raises(ValidationError):  # no opinion before an interview
        submit_opinion(
            actor=Actor(user=world.officer_a),
            investigation=investigation,
            home_circumstances="与父母同住",
            attitude="认罪认罚",
            opinion=Opinion.SUITABLE,
            opinion_text="—",
        )
    for kind, person in (("family", "父亲王某"), ("community", "新华社区主任"), ("victim", "被害人李某")):
        record_interview(
            actor=Actor(user=world.officer_a),
            investigation=investigation,
            kind=kind,
            person=person,
            held_on=dt.date.today(),
            notes="表示愿意配合监督",
        )
    submit_opinion(
        actor=Actor(user=world.officer_a),
        investigation=investigation,
        home_circumstances="与父母同住，有固定住所",
        attitude="认罪认罚，积极赔偿",
        opinion=Opinion.SUITABLE,
        opinion_text="具备社区矫正条件。",
    )
    return investigation


def test_a_commission_is_investigated_returned_approved_and_answered(world) -> None:  # type: ignore[no-untyped-def]
    investigation = _investigate(world)
    assert investigation.status == InvestigationStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        decide_opinion(actor=Actor(user=world.officer_a), investigation=investigation, approve=True)
    with pytest.raises(ValidationError):
        decide_opinion(actor=Actor(user=world.bureau_a), investigation=investigation, approve=False)
    decide_opinion(
        actor=Actor(user=world.bureau_a), investigation=investigation, approve=False, comment="补充走访村委会"
    )
    assert investigation.status == InvestigationStatus.RETURNED
    submit_opinion(
        actor=Actor(user=world.officer_a),
        investigation=investigation,
        home_circumstances="与父母同住",
        attitude="认罪认罚",
        opinion=Opinion.SUITABLE,
        opinion_text="具备社区矫正条件。",
    )
    decide_opinion(actor=Actor(user=world.bureau_a), investigation=investigation, approve=True)
    assert investigation.status == InvestigationStatus.ANSWERED
    assert investigation.document is not None and investigation.document.number.startswith("溆司矫评〔")
    record_outcome(
        actor=Actor(user=world.officer_a),
        investigation=investigation,
        outcome=Outcome.SENTENCED,
        outcome_on=dt.date.today(),
    )
    assert investigation.status == InvestigationStatus.CONCLUDED and investigation.outcome_adopted is True
    # The later intake of the same person links to the investigation.
    supervisee = make_supervisee(
        world.office_a, identity_number=IDENTITY, term_start=dt.date.today() - dt.timedelta(days=3)
    )
    register_intake(
        actor=Actor(user=world.officer_a),
        supervisee=supervisee,
        reported_on=dt.date.today(),
        initial_level="standard",
        announced_on=dt.date.today(),
        announcement_place="卢峰司法所",
    )
    investigation.refresh_from_db()
    assert investigation.supervisee == supervisee
    # The opinion is now in the person's execution file, and its one-PDF export lists it.
    from zhengtu.supervision.services.archives import export_archive
    from zhengtu.supervision.tests.pdf import pdf_text

    assert supervisee.documents.filter(code="investigations.assessment_opinion").exists()
    _name, pdf = export_archive(actor=Actor(user=world.bureau_a), supervisee=supervisee, archive="execution")
    contents = pdf_text(pdf).split("\f")[0]
    assert "调查评估意见书" in contents and "社区矫正宣告书" in contents


def test_a_commission_needs_its_fields_and_nothing_is_written_otherwise(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _commission(world, organ_kind="army", person_name="", proposed_sentence="prison")
    assert {"organ_kind", "person_name", "proposed_sentence"} <= set(error.value.message_dict)
    from zhengtu.investigations.models import Investigation

    assert not Investigation.objects.exists()


def test_pages_walk_the_steps_and_outsiders_get_404(client, login, world) -> None:  # type: ignore[no-untyped-def]
    investigation = _commission(world)
    login(client, world.bureau_a)
    assert "王某某" in client.get(reverse("investigations:list")).content.decode()
    client.post(reverse("investigations:assign", args=[investigation.pk]), {"office": world.office_a.pk})
    investigation.refresh_from_db()
    assert investigation.office == world.office_a
    login(client, world.officer_a)
    detail = reverse("investigations:detail", args=[investigation.pk])
    assert 'id="interview"' in client.get(detail).content.decode()
    client.post(
        reverse("investigations:interview", args=[investigation.pk]),
        {"kind": "family", "person": "母亲", "held_on": dt.date.today().isoformat(), "notes": "支持"},
    )
    assert investigation.interviews.count() == 1
    login(client, world.officer_b)
    assert client.get(detail).status_code == 404
    for name in ("assign", "interview", "opinion", "decision", "outcome"):
        assert client.post(reverse(f"investigations:{name}", args=[investigation.pk]), {}).status_code == 404
    assert "王某某" not in client.get(reverse("investigations:list")).content.decode()
