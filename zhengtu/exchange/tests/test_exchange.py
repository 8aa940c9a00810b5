"""The exchange format: schemas in the repo, a commission's round trip, bad files, every code table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.exchange import codes
from zhengtu.exchange.schemas import BODIES, SCHEMA_DIR, schema_text
from zhengtu.exchange.services import ExchangeError, import_message, validate
from zhengtu.investigations.models import Investigation, InvestigationStatus, Opinion
from zhengtu.investigations.services import assign, decide_opinion, record_interview, submit_opinion

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "investigation_commission.json"


def test_the_schema_files_in_the_repo_are_current() -> None:
    for message_type in BODIES:
        path = SCHEMA_DIR / f"{message_type}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(message_type), f"regenerate {path.name}"
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_every_choice_of_ours_carries_its_national_code() -> None:
    from zhengtu.investigations.models import CommissioningOrgan, PersonType
    from zhengtu.supervisees.models import SentenceType, SupervisionLevel
    from zhengtu.supervision.models import CheckInChannel, SanctionKind, TeamRole, TerminationReason

    assert [codes.national_code("sentence_type", v) for v in SentenceType.values] == ["01", "02", "03", "04"]
    for table, choices in (
        ("supervision_level", SupervisionLevel.values),
        ("reward_punishment", SanctionKind.values),
        ("termination_type", [*TerminationReason.values, "released", "pardon"]),
        ("commissioning_organ", CommissioningOrgan.values),
        ("person_type", PersonType.values),
        ("investigation_opinion", Opinion.values),
        ("team_role", TeamRole.values),
        ("report_channel", CheckInChannel.values),
    ):
        for value in choices:
            assert codes.national_code(table, value)
    # 2020-law values not in the 2017 tables are marked and explained.
    pardon = next(c for c in codes.TERMINATION_TYPE.codes if c.value == "pardon")
    assert pardon.extension and "赦免" in codes.TERMINATION_TYPE.notes
    assert "训诫" in codes.REWARD_PUNISHMENT.notes and "提请逮捕" in codes.REWARD_PUNISHMENT.notes
    assert codes.crime_type_of("危险驾驶罪") == "02" and codes.crime_type_of("盗窃罪") == "05"


def test_a_commission_round_trip_validates_against_the_schema(world) -> None:  # type: ignore[no-untyped-def]
    bureau = Actor(user=world.bureau_a)
    imported = import_message(actor=bureau, content=EXAMPLE.read_bytes())
    investigation = imported.target
    assert isinstance(investigation, Investigation)
    assert investigation.organ_kind == "court" and investigation.proposed_sentence == "probation"
    assert investigation.identity_number_masked.endswith("0037") and "1990" not in investigation.identity_number_masked
    assert investigation.documents.count() == 2
    assign(actor=bureau, investigation=investigation, office=world.office_a)
    officer = Actor(user=world.officer_a)
    record_interview(
        actor=officer,
        investigation=investigation,
        kind="family",
        person="母亲",
        held_on=dt.date.today(),
        notes="愿意监护",
    )
    submit_opinion(
        actor=officer,
        investigation=investigation,
        home_circumstances="与母亲同住",
        attitude="认罪认罚",
        opinion=Opinion.SUITABLE,
        opinion_text="具备社区矫正条件。",
    )
    decide_opinion(actor=bureau, investigation=investigation, approve=True)
    assert investigation.status == InvestigationStatus.ANSWERED
    from zhengtu.exchange.services import export_investigation_result

    message = export_investigation_result(actor=bureau, investigation=investigation)
    schema = json.loads((SCHEMA_DIR / "investigation_result.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(message)
    assert message["body"]["opinion"] == "01"
    assert message["body"]["commission_number"] == "（2026）湘1224刑初188号委托函"
    assert message["sent_at"].endswith("+08:00")
    assert "431224199003040037" not in json.dumps(message, ensure_ascii=False)
    with pytest.raises(ExchangeError) as twice:
        import_message(actor=bureau, content=EXAMPLE.read_bytes())
    assert "已经导入过" in twice.value.problems[0]


def test_a_bad_file_lists_its_errors_in_chinese_and_imports_nothing(client, login, world) -> None:  # type: ignore[no-untyped-def]
    message = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    body = message["body"]
    body["commissioned_on"] = "2026/12/04"
    body["proposed_sentence_type"] = "07"
    del body["crime"]
    body["person"]["identity_number"] = "12345"
    problems = validate(message)
    assert len(problems) == 4
    assert any("缺少必填字段“crime”" in p for p in problems)
    assert any("GB/T 7408" in p and "commissioned_on" in p for p in problems)
    assert any("“body/proposed_sentence_type”的值“07”不是允许的代码" in p for p in problems)
    login(client, world.bureau_a)
    url = reverse("api-exchange-import", args=["investigation_commission"])
    response = client.post(url, message, content_type="application/json")
    assert response.status_code == 400 and len(response.json()["errors"]) == 4
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert not Investigation.objects.exists()


def test_the_api_imports_and_exports_within_scope(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    url = reverse("api-exchange-import", args=["investigation_commission"])
    created = client.post(url, json.loads(EXAMPLE.read_text(encoding="utf-8")), content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert AuditEntry.objects.filter(action="import").exists()
    result = reverse("api-exchange-investigation-result", args=[pk])
    assert client.get(result).status_code == 400  # not answered yet: a clear refusal
    schema = client.get(reverse("api-exchange-schema", args=["intake_documents"])).json()
    assert schema["properties"]["message_type"]["const"] == "intake_documents"
    login(client, world.officer_b)
    assert client.get(result).status_code == 404
    assert client.post(url, {}, content_type="application/json").status_code in (400, 403)
    assert Investigation.objects.count() == 1


def test_notices_and_requests_export_valid_messages_only_within_scope(client, login, world) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengtu.supervision.services.approvals import decide
    from zhengtu.supervision.services.sanctions import propose_sanction
    from zhengtu.supervision.tests.conftest import supervised

    supervisee = supervised(world.office_a, world.officer_a)
    sanction = propose_sanction(
        actor=Actor(user=world.officer_a),
        supervisee=supervisee,
        kind="revocation",
        facts="失去联系超过一个月。",
        occurred_on=dt.date.today(),
        receiving_organ="溆浦县人民法院",
        evidence=[SimpleUploadedFile("记录.txt", b"x", content_type="text/plain")],
    )
    decide(actor=Actor(user=world.colleague_a), request=sanction.approval, approve=True)
    decide(actor=Actor(user=world.bureau_a), request=sanction.approval, approve=True)
    urls = {
        "intake_notice": reverse("api-exchange-intake-notice", args=[supervisee.pk]),
        "sanction_request": reverse("api-exchange-sanction-request", args=[sanction.pk]),
    }
    login(client, world.officer_a)
    for message_type, url in urls.items():
        message = client.get(url).json()
        assert validate(message, message_type) == [], message
    assert client.get(urls["sanction_request"]).json()["body"]["reward_punishment_code"] == "99"
    assert client.get(reverse("api-exchange-release-notice", args=[supervisee.pk])).status_code == 400
    # A decision from the court comes back by its request's document number.
    number = client.get(urls["sanction_request"]).json()["body"]["document_number"]
    decision = {
        "format": "zhengtu-exchange",
        "version": "1.0",
        "message_type": "sanction_decision",
        "sent_at": "2026-12-07T09:00:00+08:00",
        "sender": {"name": "溆浦县人民法院"},
        "body": {"request_document_number": number, "decision_number": "（2026）湘1224刑更9号",
                 "decided_on": dt.date.today().isoformat(), "outcome": "granted"},
    }  # fmt: skip
    login(client, world.bureau_a)
    imported = client.post(
        reverse("api-exchange-import", args=["sanction_decision"]), decision, content_type="application/json"
    )
    assert imported.status_code == 201
    sanction.refresh_from_db()
    assert sanction.decision_outcome == "granted"
    login(client, world.officer_b)
    for url in urls.values():
        assert client.get(url).status_code == 404
