"""Reading instrument workbooks: every problem listed with sheet, row, column and reason; versions."""

from __future__ import annotations

import pytest

from zhengtu.audit.models import AuditEntry

from ..models import Instrument, InstrumentVersion
from ..services.instruments import import_instrument, load_shipped_instruments
from ..workbook import WorkbookRejected, read_workbook
from .conftest import Case, small_instrument, workbook_bytes


def _problems(content: bytes) -> list[tuple[str, int | None, str]]:
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(content)
    return [(p.sheet, p.row, p.column.split(" ")[0]) for p in rejected.value.problems]


def test_a_bad_workbook_lists_every_problem() -> None:
    content = workbook_bytes(
        {
            "survey": [
                ["type", "name", "label", "relevant", "constraint", "domain"],
                ["select_one missing_list", "q1", "问题一", "", "", "d1"],  # row 2: unknown list
                ["geopoint", "where", "位置", "", "", ""],  # row 3: unsupported type
                ["integer", "q1", "重复", "", "", ""],  # row 4: duplicate name
                ["integer", "q3", "问题三", "${nope} > 1", ". >", ""],  # row 5: unknown ref, bad syntax
                ["text", "q4", "问题四", "", "", "unknown_domain"],  # row 6: unknown domain, text not scorable
                ["select_one yn", "q5", "", "", "", "d1"],  # row 7: no label, unscored choices
            ],
            "choices": [["list_name", "name", "label", "score"], ["yn", "yes", "是", ""], ["yn", "yes", "是", 1]],
            "settings": [["form_title", "form_id", "version"], ["", "Bad Id!", ""]],
            "domains": [["name", "label", "method"], ["d1", "领域", "median"]],
            "cutoffs": [
                ["target", "sex", "min", "max", "level", "label", "rank"],
                ["total", "male", 10, 5, "high", "高", 1],
                ["nothing", "", "x", "", "", "", ""],
            ],
        }
    )
    problems = _problems(content)
    expected = {
        ("settings", 2, "A"),  # missing title
        ("settings", 2, "B"),  # bad form_id
        ("settings", 2, "C"),  # missing version
        ("choices", 3, "B"),  # duplicate choice
        ("domains", 2, "C"),  # unknown method
        ("survey", 2, "A"),  # unknown choice list
        ("survey", 3, "A"),  # unsupported type
        ("survey", 4, "B"),  # duplicate name
        ("survey", 5, "D"),  # unknown reference
        ("survey", 5, "E"),  # syntax error
        ("survey", 6, "F"),  # unknown domain (and text cannot be scored)
        ("survey", 7, "C"),  # no label
        ("survey", 7, "F"),  # choices without scores
        ("cutoffs", 2, "D"),  # min above max
        ("cutoffs", 3, "A"),  # unknown target
        ("cutoffs", 3, "C"),  # not a number
        ("cutoffs", 3, "E"),  # no level
        ("cutoffs", 3, "F"),  # no label
        ("cutoffs", 3, "G"),  # no rank
        ("cutoffs", None, "sex"),  # rows for one sex only
    }
    assert expected <= set(problems), sorted(expected - set(problems))


def test_problem_messages_are_in_chinese_and_name_the_column() -> None:
    content = workbook_bytes(
        {
            "survey": [["type", "name", "label"], ["integer", "q1", "问题"], ["integer", "q1", "又一题"]],
            "settings": [["form_title", "form_id", "version"], ["量表", "t", "1"]],
        }
    )
    with pytest.raises(WorkbookRejected) as rejected:
        read_workbook(content)
    problem = rejected.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "B (name)")
    assert problem.message == "名称“q1”重复出现。"


def test_not_a_workbook() -> None:
    assert _problems(b"this is not a zip file") == [("", None, "")]


def test_missing_sheets() -> None:
    problems = _problems(workbook_bytes({"choices": [["list_name", "name", "label"]]}))
    assert {("survey", None, ""), ("settings", None, "")} == set(problems)


@pytest.mark.django_db
def test_shipped_instruments_load_idempotently() -> None:
    first = load_shipped_instruments()
    assert {o.version.instrument.code for o in first} == {"phq9", "gad7", "scl90", "intake_example"}
    assert all(o.created for o in first)
    again = load_shipped_instruments()
    assert not any(o.created for o in again)
    assert InstrumentVersion.objects.count() == 4
    scl90 = Instrument.objects.get(code="scl90").current_version
    assert scl90 is not None and scl90.has_placeholder_texts and scl90.is_sensitive
    assert scl90.parsed.item("scl15").label == "第15项"
    intake = Instrument.objects.get(code="intake_example").current_version
    assert intake is not None and intake.is_example and "示例，需本地校准" in intake.title


def test_versions_are_kept_and_never_silently_replaced(case: Case) -> None:
    from ..services.assessments import take_assessment

    first = import_instrument(
        actor=case.actor(), content=small_instrument(version="1"), organisation=case.officer.organisation
    )
    assessment = take_assessment(
        actor=case.actor(),
        supervisee=case.supervisee,
        instrument=first.version.instrument,
        answers={"a": "yes", "b": "1", "c": "2"},
    )
    # The same content again: nothing new. Changed content under the same version: refused.
    assert (
        import_instrument(
            actor=case.actor(), content=small_instrument(version="1"), organisation=case.officer.organisation
        ).created
        is False
    )
    changed = small_instrument(version="1", extra_survey=[["text", "note2", "备注", "", "", "", "", "", "", ""]])
    with pytest.raises(WorkbookRejected) as rejected:
        import_instrument(actor=case.actor(), content=changed, organisation=case.officer.organisation)
    assert rejected.value.problems[0].column == "version"
    # A new version becomes current; the old assessment keeps the version it was taken with.
    second = import_instrument(
        actor=case.actor(),
        content=small_instrument(version="2", extra_survey=[["text", "note2", "备注", "", "", "", "", "", "", ""]]),
        organisation=case.officer.organisation,
    )
    assert second.created
    instrument = Instrument.objects.get(pk=first.version.instrument_id)
    assert instrument.current_version == second.version
    assessment.refresh_from_db()
    assert assessment.instrument_version == first.version
    assert assessment.total_score == 6  # a = yes 1, b = 低 1 reversed on 1..3 → 3, c = 2
    assert AuditEntry.objects.filter(action="import", object_type="assessment.instrumentversion").count() == 2
