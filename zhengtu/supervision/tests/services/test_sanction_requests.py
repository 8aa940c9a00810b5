"""Requests to another organ: sentence reduction, arrest, revoking temporary execution outside prison."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtu.supervisees.models import SentenceType, SupervisionLevel
from zhengtu.supervision.models import SanctionKind
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.sanctions import propose_sanction, record_request_decision

from ..conftest import actor, supervised, today
from ..pdf import pdf_text


def _evidence() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile("证据.txt", "材料".encode(), content_type="text/plain")]


def _propose(supervisee, world, kind, organ="怀化市中级人民法院"):  # type: ignore[no-untyped-def]
    return propose_sanction(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        kind=kind,
        facts="该对象多次违反监督管理规定，经警告仍不改正。",
        occurred_on=today() - dt.timedelta(days=3),
        receiving_organ=organ,
        evidence=_evidence(),
    )


def test_an_arrest_request_names_the_court_and_records_its_decision(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _propose(people.supervisee, world, SanctionKind.ARREST, organ="")
    assert "receiving_organ" in error.value.message_dict
    sanction = _propose(people.supervisee, world, SanctionKind.ARREST, organ="溆浦县人民法院")
    assert sanction.receiving_organ_kind == "court"
    decide(actor=actor(world.colleague_a), request=sanction.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=sanction.approval, approve=True)
    sanction.refresh_from_db()
    assert sanction.sent_on == today()
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.STRICT
    text = pdf_text(people.supervisee.documents.get(code="supervision.arrest_proposal").pdf.read())
    assert "提请逮捕建议书" in text and "溆浦县人民法院" in text
    record_request_decision(
        actor=actor(world.officer_a), sanction=sanction, decision_number="（2026）湘1224刑更5号", decided_on=today(),
        outcome="granted",
    )  # fmt: skip
    sanction.refresh_from_db()
    assert sanction.decision_outcome == "granted"


def test_revoking_temporary_execution_only_for_a_person_outside_prison(world) -> None:  # type: ignore[no-untyped-def]
    probation = supervised(world.office_a, world.officer_a)
    with pytest.raises(ValidationError):
        _propose(probation, world, SanctionKind.OUTSIDE_REVOCATION)
    outside = supervised(world.office_a, world.officer_a, sentence_type=SentenceType.OUTSIDE_PRISON)
    sanction = _propose(outside, world, SanctionKind.OUTSIDE_REVOCATION, organ="湖南省监狱管理局")
    decide(actor=actor(world.colleague_a), request=sanction.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=sanction.approval, approve=True)
    document = outside.documents.get(code="supervision.outside_revocation_proposal")
    assert document.number.startswith("溆司矫监〔")
    reduction = _propose(outside, world, SanctionKind.SENTENCE_REDUCTION)
    assert reduction.receiving_organ == "怀化市中级人民法院"
