"""The court's intake documents (判决书/裁定书/决定书 with the 执行通知书) coming in, the release notice going out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.exchange.schemas import SCHEMA_DIR
from zhengtu.exchange.services import ExchangeError, import_message
from zhengtu.supervisees.models import Status, Supervisee

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "intake_documents.json"
IDENTITY = "431224198806150016"


def _message(**body: Any) -> dict[str, Any]:
    message = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    message["body"].update(
        {"term_start": (today - dt.timedelta(days=2)).isoformat(), "judgment_effective_date": today.isoformat()}
    )
    message["body"].update(body)
    return message


def _schema(message_type: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{message_type}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_the_example_file_in_the_repo_is_valid() -> None:
    _schema("intake_documents").validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def test_a_good_intake_file_registers_the_person_waiting_for_intake_with_the_reporting_deadline(
    client, login, world
) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    url = reverse("api-exchange-import", args=["intake_documents"]) + f"?office={world.office_a.pk}"
    response = client.post(url, _message(), content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    supervisee = Supervisee.objects.get(pk=response.json()["id"])
    assert supervisee.name == "舒某某" and supervisee.status == Status.PENDING_INTAKE
    assert supervisee.responsible_office == world.office_a
    assert supervisee.sentence_type == "probation" and supervisee.crime == "危险驾驶罪"
    assert supervisee.judgment_number == "（2026）湘1224刑初201号" and supervisee.deciding_organ == "溆浦县人民法院"
    assert supervisee.original_sentence == "拘役三个月，缓刑六个月"
    assert supervisee.birth_date == dt.date(1988, 6, 15) and supervisee.sex == "male"
    assert supervisee.identity_number_masked.endswith("0016") and IDENTITY not in supervisee.identity_number_masked
    assert supervisee.residence_address == "溆浦县卢峰镇沿河路12号"
    # The documents arrived today: the ten-day reporting deadline runs from the judgment taking effect.
    file = supervisee.supervision_file
    assert file.documents_received_on == timezone.localdate() and file.reporting_deadline is not None
    entry = AuditEntry.objects.filter(action="import", object_id=str(supervisee.pk)).get()
    assert entry.detail["exchange"] == "intake_documents"
    assert [d["type"] for d in entry.detail["documents"]] == ["判决书", "执行通知书"]
    # The same file twice is refused, naming the place, and leaves one person.
    again = client.post(url, _message(), content_type="application/json")
    assert again.status_code == 400
    assert any("body/person/identity_number" in problem for problem in again.json()["errors"])
    assert Supervisee.objects.filter(name="舒某某").count() == 1


def test_a_bad_intake_file_lists_its_errors_in_chinese_and_writes_nothing(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    url = reverse("api-exchange-import", args=["intake_documents"]) + f"?office={world.office_a.pk}"
    bad = _message(sentence_type="09", term_months=0, documents=[])
    del bad["body"]["judgment_number"]
    bad["body"]["person"]["identity_number"] = "43122419880615"
    bad["body"]["term_start"] = "2026年12月1日"
    before = AuditEntry.objects.count()
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 6, errors
    assert any("缺少必填字段“judgment_number”" in e for e in errors)
    assert any("“body/sentence_type”的值“09”不是允许的代码" in e for e in errors)
    assert any("body/term_start" in e and "GB/T 7408" in e for e in errors)
    assert any("body/documents" in e and "不能为空" in e for e in errors)
    assert any("body/person/identity_number" in e for e in errors)
    assert any("body/term_months" in e for e in errors)
    assert not Supervisee.objects.exists() and AuditEntry.objects.count() == before

    # Valid in shape but wrong in substance (a term that has not begun cannot be checked against the
    # judgment, a birth date that does not match the identity number): named in Chinese, nothing written.
    wrong = _message()
    wrong["body"]["person"]["identity_number"] = "431224198806150017"  # bad check digit
    response = client.post(url, wrong, content_type="application/json")
    assert response.status_code == 400
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in response.json()["errors"])
    assert any("body/person/identity_number" in e for e in response.json()["errors"])
    assert not Supervisee.objects.exists()

    # No office named: said so, nothing written.
    bare = reverse("api-exchange-import", args=["intake_documents"])
    response = client.post(bare, _message(), content_type="application/json")
    assert response.status_code == 400 and "司法所" in response.json()["errors"][0]
    assert not Supervisee.objects.exists()


def test_an_outsider_cannot_import_into_another_countys_office(client, login, world) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    other_bureau = UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)
    login(client, other_bureau)
    url = reverse("api-exchange-import", args=["intake_documents"]) + f"?office={world.office_a.pk}"
    assert client.post(url, _message(), content_type="application/json").status_code == 404
    assert not Supervisee.objects.exists()


@pytest.mark.parametrize("by_pardon", [False, True])
def test_the_release_notice_validates_against_the_schema_in_the_repo(client, login, world, by_pardon) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.supervision.services.closure import complete_release, prepare_release
    from zhengtu.supervision.tests.conftest import supervised

    today = timezone.localdate()
    term = {"term_start": today - dt.timedelta(days=400), "term_months": 12} if not by_pardon else {}
    supervisee = supervised(world.office_a, world.officer_a, **term)
    officer = Actor(user=world.officer_a)
    url = reverse("api-exchange-release-notice", args=[supervisee.pk])
    login(client, world.officer_a)
    refused = client.get(url)  # still under supervision: a clear refusal, not a half-filled notice
    assert refused.status_code == 400 and "尚未解除" in json.dumps(refused.json(), ensure_ascii=False)
    prepare_release(actor=officer, supervisee=supervisee, self_summary="遵纪守法", appraisal="表现良好")
    complete_release(
        actor=officer,
        supervisee=supervisee,
        released_on=today if by_pardon else supervisee.term_end,
        announcement_place="卢峰司法所",
        by_pardon=by_pardon,
        pardon_decision="中华人民共和国主席特赦令" if by_pardon else "",
    )
    message = client.get(url).json()
    _schema("release_notice").validate(message)
    body = message["body"]
    assert body["termination_type"] == ("99" if by_pardon else "01")
    assert body["person"]["name"] == supervisee.name
    assert body["effective_on"] == (today if by_pardon else supervisee.term_end).isoformat()
    assert body["document_number"] and supervisee.documents.filter(number=body["document_number"]).exists()
    assert body["bureau"] == {"name": "溆浦县社区矫正管理局", "office": "卢峰司法所"}
    assert message["sent_at"].endswith("+08:00")
    assert AuditEntry.objects.filter(
        action="export", object_id=str(supervisee.pk), detail__exchange="release_notice"
    ).exists()
    login(client, world.officer_b)
    assert client.get(url).status_code == 404


def test_an_import_error_is_never_half_written_even_after_the_person_is_created(world) -> None:  # type: ignore[no-untyped-def]
    """The documents step fails after the person was created: the person is rolled back with it."""
    from unittest import mock

    from django.core.exceptions import ValidationError

    with (
        mock.patch(
            "zhengtu.supervision.services.intake.record_documents_received",
            side_effect=ValidationError({"received_on": "日期不能晚于今天。"}),
        ),
        pytest.raises(ExchangeError) as error,
    ):
        import_message(actor=Actor(user=world.bureau_a), content=_message(), office=world.office_a)
    assert error.value.problems
    assert not Supervisee.objects.exists()


def test_the_services_refuse_a_user_without_the_capability_whoever_calls_them(world) -> None:  # type: ignore[no-untyped-def]
    """The capability is checked in the service, not only by the API view: a social worker (no import or export
    of supervisees) is refused before anything is read or written."""
    from django.core.exceptions import PermissionDenied

    from zhengtu.exchange.services import export_intake_notice, export_release_notice
    from zhengtu.supervision.tests.conftest import supervised

    worker = Actor(user=world.social_worker_a)
    with pytest.raises(PermissionDenied):
        import_message(actor=worker, content=_message(), office=world.office_a)
    assert not Supervisee.objects.exists()
    supervisee = supervised(world.office_a, world.officer_a)
    for export in (export_intake_notice, export_release_notice):
        with pytest.raises(PermissionDenied):
            export(actor=worker, supervisee=supervisee)
    assert not AuditEntry.objects.filter(action="export", object_id=str(supervisee.pk)).exists()
