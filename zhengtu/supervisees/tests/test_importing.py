"""Importing rosters: mixed good and bad rows, Excel and CSV (UTF-8 and GBK), the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from zhengtu.audit.models import Action, AuditEntry, Outcome
from zhengtu.audit.services import Actor
from zhengtu.supervisees.columns import COLUMNS
from zhengtu.supervisees.exporting import template_csv, template_xlsx
from zhengtu.supervisees.importing import import_supervisees
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import make_supervisee

from .builders import identity

pytestmark = pytest.mark.django_db

HEADERS = [
    "姓名",
    "身份证号",
    "矫正类别",
    "罪名",
    "决定机关",
    "矫正起始日期",
    "矫正期限（月）",
    "负责司法所",
    "居住地区划代码",
    "监管等级",
]


def row(name: str, number: Any, overrides: dict[str, Any] | None = None) -> list[Any]:
    values = {
        "姓名": name,
        "身份证号": number,
        "矫正类别": "缓刑",
        "罪名": "盗窃罪",
        "决定机关": "溆浦县人民法院",
        "矫正起始日期": "2026-01-05",
        "矫正期限（月）": "12",
        "负责司法所": "卢峰司法所",
        "居住地区划代码": "431224",
        "监管等级": "普管",
    }
    values.update(overrides or {})
    return [values[h] for h in HEADERS]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS, title: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def bad_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_mixed_good_and_bad_rows(world, divisions) -> None:  # type: ignore[no-untyped-def]
    registered = identity(sequence=90)
    make_supervisee(world.office_a, name="已登记", identity_number=registered)
    good_1, good_2, twice = identity(sequence=1), identity(sequence=2, sex="female"), identity(sequence=3)
    rows = [
        row("张三", good_1),  # row 2: good
        row("李四", bad_checksum(identity(sequence=4))),  # row 3: bad checksum
        row("王五", identity(sequence=5), {"负责司法所": "不存在司法所"}),  # row 4: unknown office
        row("", identity(sequence=6)),  # row 5: missing name
        row("赵六", twice),  # row 6: good
        row("钱七", twice),  # row 7: duplicate of row 6 in the file
        row("孙八", registered),  # row 8: already in the database
        row("周九", identity(sequence=7), {"矫正起始日期": "2026-02-30"}),  # row 9: bad date
        row("吴十", good_2, {"矫正起始日期": dt.datetime(2026, 3, 1), "监管等级": "严管"}),  # row 10: good (Excel date)
        row("郑一", identity(sequence=8), {"负责司法所": "辰阳司法所"}),  # row 11: office of another county
        ["", "", "", "", "", "", "", "", "", ""],  # blank row: skipped, not reported
        row(
            "冯二", identity(sequence=9), {"居住地区划代码": "439999", "矫正期限（月）": "十二"}
        ),  # row 13: two problems
    ]
    result = import_supervisees(
        actor=Actor(user=world.officer_a), file_name="花名册.xlsx", content=xlsx(rows), default_office=None
    )
    assert result.file_problem == ""
    assert [(r, n) for r, _pk, n in result.imported] == [(2, "张三"), (6, "赵六"), (10, "吴十")]
    reported = {e.row: e.reasons for e in result.errors}
    assert sorted(reported) == [3, 4, 5, 7, 8, 9, 11, 13]
    assert "校验" in reported[3][0]
    assert "不存在司法所" in reported[4][0]
    assert "姓名" in reported[5][0]
    assert "第 6 行" in reported[7][0]
    assert "已登记" in reported[8][0]
    assert "2026-02-30" in reported[9][0]
    assert "辰阳司法所" in reported[11][0]
    assert len(reported[13]) == 2
    assert set(Supervisee.objects.values_list("name", flat=True)) == {"已登记", "张三", "赵六", "吴十"}
    strict = Supervisee.objects.get(name="吴十")
    assert (strict.supervision_level, strict.term_start, strict.sex) == ("strict", dt.date(2026, 3, 1), "female")
    assert Supervisee.objects.get(name="张三").residence_division_id == "431224"
    summary = AuditEntry.objects.get(action=Action.IMPORT)
    assert summary.detail["imported"] == 3 and summary.detail["rejected_rows"] == [3, 4, 5, 7, 8, 9, 11, 13]
    assert AuditEntry.objects.filter(action=Action.CREATE).count() == 3


def test_gbk_csv_as_excel_saves_it(world) -> None:  # type: ignore[no-untyped-def]
    content = csv_bytes([row("张三", identity(sequence=1), {"居住地区划代码": ""}), row("李四", "123")], "gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="名单.csv", content=content)
    assert [n for _r, _pk, n in result.imported] == ["张三"]
    assert [e.row for e in result.errors] == [3]


def test_utf8_csv_with_bom_and_default_office(world) -> None:  # type: ignore[no-untyped-def]
    content = csv_bytes([row("张三", identity(sequence=1), {"负责司法所": "", "居住地区划代码": ""})], "utf-8-sig")
    result = import_supervisees(
        actor=Actor(user=world.bureau_a), file_name="list.csv", content=content, default_office=world.office_a2
    )
    assert result.errors == []
    assert Supervisee.objects.get().responsible_office == world.office_a2


def test_title_rows_above_the_headers_and_aliases(world) -> None:  # type: ignore[no-untyped-def]
    headers = [
        "姓 名",
        "公民身份号码",
        "矫正类别*",
        "罪名",
        "决定机关",
        "矫正起始日期",
        "矫正期限(月)",
        "司法所",
        "居住地区划代码",
        "监管等级",
    ]
    content = xlsx(
        [row("张三", identity(sequence=1), {"居住地区划代码": ""})], headers=headers, title="溆浦县社区矫正对象花名册"
    )
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="a.xlsx", content=content)
    assert result.errors == [] and len(result.imported) == 1


def test_identity_number_stored_as_a_number_by_excel_is_explained(world) -> None:  # type: ignore[no-untyped-def]
    content = xlsx([row("张三", 431224198503020071, {"居住地区划代码": ""})])
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="a.xlsx", content=content)
    assert len(result.errors) == 1 and "文本" in result.errors[0].reasons[0]


@pytest.mark.parametrize(
    ("file_name", "content", "fragment"),
    [
        ("roster.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("roster.pdf", b"%PDF", "CSV"),
        ("roster.xlsx", b"not a zip", "Excel"),
        ("roster.csv", "姓名,罪名\n张三,盗窃罪\n".encode(), "身份证号"),
        ("roster.csv", b"", "\u7a7a"),  # 空
    ],
)
def test_unreadable_files_are_explained_and_audited(world, file_name, content, fragment) -> None:  # type: ignore[no-untyped-def]
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name=file_name, content=content)
    assert fragment in result.file_problem
    assert AuditEntry.objects.get(action=Action.IMPORT).outcome == Outcome.FAILURE
    assert not Supervisee.objects.exists()


def test_the_template_reads_back_and_lists_every_column() -> None:
    sheet = load_workbook(io.BytesIO(template_xlsx())).worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert template_csv().startswith("\ufeff姓名,".encode())


def test_a_filled_template_imports(world) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook.worksheets[0]
    values = {
        "姓名": "张三",
        "身份证号": identity(sequence=1),
        "性别": "男",
        "矫正类别": "暂予监外执行",
        "罪名": "交通肇事罪",
        "决定机关": "溆浦县人民法院",
        "矫正起始日期": "2026/1/5",
        "矫正期限（月）": 6,
        "矫正期限（天）": 15,
        "是否累犯": "否",
        "矫正状态": "在矫",
        "负责司法所": str(world.office_a.pk),
    }
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=2, column=index, value=values.get(column.header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="t.xlsx", content=buffer.getvalue())
    assert result.errors == []
    person = Supervisee.objects.get()
    assert (person.sentence_type, person.status, person.term_end) == (
        "outside_prison",
        "under_supervision",
        dt.date(2026, 7, 19),
    )


def test_command(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.xlsx"
    path.write_bytes(
        xlsx([row("张三", identity(sequence=1), {"负责司法所": "", "居住地区划代码": ""}), row("李四", "1")])
    )
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_supervisees",
        str(path),
        "--office",
        str(world.office_a.pk),
        "--user",
        world.officer_a.username,
        stdout=out,
        stderr=err,
    )
    assert "1" in out.getvalue() and "第 3 行" in err.getvalue()
    assert Supervisee.objects.get().name == "张三"
    assert AuditEntry.objects.get(action=Action.IMPORT).username == world.officer_a.username
    with pytest.raises(CommandError):
        call_command("import_supervisees", str(path), "--user", "nobody")
    with pytest.raises(CommandError):
        call_command(
            "import_supervisees", str(path), "--user", world.officer_a.username, "--office", str(world.office_b.pk)
        )
