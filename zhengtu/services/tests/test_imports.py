import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.services.exports import export_ledger
from zhengtu.services.imports import import_ledger
from zhengtu.services.models import RecordSource, ServiceRecord
from zhengtu.services.selectors import ledger
from zhengtu.services.tests.conftest import actor, assign, person

HEADINGS = ["日期", "类别", "形式", "走访类型", "主题/内容", "主讲人/负责人", "地点", "时长（小时）", "参加对象"]


def workbook(rows, headings=HEADINGS, title_rows=0):
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["溆浦县社区矫正服务台账"])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def names(people):
    return [p.name for p in people]


@pytest.mark.django_db
def test_row_level_errors_in_chinese_and_nothing_written_by_default(pw, people, names, world):
    twin_a, twin_b = person(world.office_a, name="王小明"), person(world.office_a, name="王小明")
    assign(pw.worker, [twin_a, twin_b])
    file = workbook(
        [
            [dt.date(2026, 3, 5), "教育学习", "集体", "", "宪法学习", "李老师", "县司法局", 2, "、".join(names)],
            ["2026-13-01", "教育学习", "集体", "", "法律常识", "", "", 2, names[0]],
            ["2026-03-06", "打篮球", "", "", "体育", "", "", 1, names[0]],
            ["2026-03-07", "社区服务", "", "", "敬老院清扫", "", "", "三", names[0]],
            ["2026-03-08", "社区服务", "", "", "敬老院清扫", "", "", 3, f"{names[0]}，张不存在"],
            ["2026-03-09", "走访调查", "个别", "", "日常走访", "", "", 1, names[1]],
            ["2026-03-10", "教育学习", "", "", "禁毒教育", "", "", 2, "王小明"],
            ["2025-12-20", "教育学习", "", "", "入矫教育", "", "", 2, names[2]],
        ],
        title_rows=1,
    )
    result = import_ledger(actor=actor(pw.worker), file=file, project=pw.project)
    assert result.rows == 8 and result.created == 0
    assert not ServiceRecord.objects.exists()
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert "不是日期" in errors[(4, "日期")]
    assert "“打篮球”不在可选值之内" in errors[(5, "类别")]
    assert "不是有效的小时数" in errors[(6, "时长（小时）")]
    assert "没有名为“张不存在”的人" in errors[(7, "参加对象")]
    assert errors[(8, "走访类型")] == "此格为空。"
    assert "请改填身份证号" in errors[(9, "参加对象")]
    assert "项目实施期限" in errors[(10, "日期")]
    assert 3 not in {e.row for e in result.errors}  # the valid row has no error
    entry = AuditEntry.objects.get(action=Action.IMPORT)
    assert entry.detail["created"] == 0 and entry.detail["errors"] == len(result.errors)


@pytest.mark.django_db
def test_skipping_invalid_rows_imports_the_valid_ones_and_a_second_import_skips_duplicates(pw, people, names):
    twin = people[0]
    rows = [
        ["2026-03-05", "教育学习", "集体", "", "宪法学习", "李老师", "县司法局", "2", "、".join(names)],
        ["2026/03/06", "社区服务", "", "", "敬老院清扫", "", "敬老院", "3小时", names[0]],
        ["2026-03-07", "心理辅导", "个案", "", "个案心理辅导", "", "", 1, twin.identity_number],
        ["2026-03-08", "教育学习", "", "", "补课", "", "", 2, "查无此人"],
    ]
    result = import_ledger(actor=actor(pw.worker), file=workbook(rows), project=pw.project, skip_invalid=True)
    assert result.created == 3 and [e.row for e in result.errors] == [5]
    counselling = ServiceRecord.objects.get(kind="counselling")
    assert counselling.mode == "individual" and counselling.source == RecordSource.IMPORT
    assert list(counselling.attendances.values_list("supervisee", flat=True)) == [twin.pk]
    again = import_ledger(actor=actor(pw.worker), file=workbook(rows), project=pw.project, skip_invalid=True)
    assert again.created == 0 and again.duplicates == 3
    assert ServiceRecord.objects.count() == 3


@pytest.mark.django_db
def test_unreadable_files_and_missing_columns_are_explained(pw, people):
    result = import_ledger(actor=actor(pw.worker), file=io.BytesIO(b"not a workbook"), project=pw.project)
    assert result.errors[0].message == "无法读取该文件，请上传Excel工作簿（.xlsx）。"
    result = import_ledger(
        actor=actor(pw.worker), file=workbook([], headings=["日期", "类别", "地点"]), project=pw.project
    )
    assert "缺少以下列" in result.errors[0].message and "参加对象" in result.errors[0].message


@pytest.mark.django_db
def test_an_exported_ledger_imports_back_into_the_same_records(pw, people, names):
    rows = [
        ["2026-03-05", "教育学习", "集体", "", "宪法学习", "李老师", "县司法局", 2, "、".join(names)],
        ["2026-03-09", "走访调查", "个别", "重点走访", "重点走访", "", "家中", 1, names[1]],
    ]
    import_ledger(actor=actor(pw.worker), file=workbook(rows), project=pw.project)
    content = export_ledger(
        actor=actor(pw.worker), records=ledger(pw.worker, project_id=pw.project.pk), title="台账", filters={}
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(3, 1).value == "序号" and sheet.cell(4, 6).value in {"宪法学习", "重点走访"}
    before = sorted(ServiceRecord.objects.values_list("kind", "held_on", "topic", "duration_hours"))
    ServiceRecord.objects.all().delete()
    result = import_ledger(actor=actor(pw.worker), file=io.BytesIO(content), project=pw.project)
    assert result.errors == [] and result.created == 2
    assert sorted(ServiceRecord.objects.values_list("kind", "held_on", "topic", "duration_hours")) == before
    assert ServiceRecord.objects.get(kind="visit").visit_type == "focus"
    assert ServiceRecord.objects.get(kind="education").duration_hours == Decimal("2.0")


@pytest.mark.django_db
def test_the_import_page_lists_the_errors(client, login, pw, people, names):
    login(client, pw.worker)
    upload = SimpleUploadedFile(
        "台账.xlsx", workbook([["2026-03-05", "教育学习", "", "", "", "", "", 2, names[0]]]).getvalue()
    )
    response = client.post(reverse("services:import"), {"project": pw.project.pk, "file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何记录" in body and "请填写主题或内容" in body
    assert client.get(reverse("services:import_template")).status_code == 200


@pytest.mark.django_db
def test_people_who_share_a_name_come_back_by_their_numbers(pw, people, world):
    twins = [person(world.office_a, name="王小明"), person(world.office_a, name="王小明")]
    assign(pw.worker, twins)
    from zhengtu.services.services import record_service

    record_service(
        actor=actor(pw.worker), project=pw.project, kind="education", held_on=dt.date(2026, 3, 5),
        duration_hours=Decimal("2"), topic="宪法学习", attendees=[*twins, people[0]],
    )  # fmt: skip
    content = export_ledger(actor=actor(pw.worker), records=ledger(pw.worker), title="台账", filters={})
    ServiceRecord.objects.all().delete()
    result = import_ledger(actor=actor(pw.worker), file=io.BytesIO(content), project=pw.project)
    assert result.errors == [] and result.created == 1
    assert set(ServiceRecord.objects.get().attendances.values_list("supervisee", flat=True)) == {
        twins[0].pk, twins[1].pk, people[0].pk,
    }  # fmt: skip
    sheet = load_workbook(io.BytesIO(content)).active
    sheet.cell(4, 10).value = "王小明、张三"  # the names no longer agree with the numbers
    edited = io.BytesIO()
    sheet.parent.save(edited)
    ServiceRecord.objects.all().delete()
    result = import_ledger(actor=actor(pw.worker), file=io.BytesIO(edited.getvalue()), project=pw.project)
    assert result.created == 0 and "姓名与对象编号不一致" in result.errors[0].message


@pytest.mark.django_db
def test_a_topic_written_as_a_formula_is_exported_as_text(pw, people, names):
    """Issue 16, high 3: ledger topics and notes never become live formulas in the export."""
    from zhengtu.services.services import record_service

    record_service(
        actor=actor(pw.worker), project=pw.project, kind="education", held_on=dt.date(2026, 3, 5),
        duration_hours=Decimal("2"), topic='=HYPERLINK("http://x.example/","看")', summary="+1", attendees=[people[0]],
    )  # fmt: skip
    content = export_ledger(actor=actor(pw.worker), records=ledger(pw.worker), title="台账", filters={})
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.data_type for c in cells if str(c.value).startswith("=HYPERLINK")] == ["s", "s"]  # both sheets
    assert all(cell.data_type != "f" for cell in cells)
    assert "公式" in str(book.worksheets[0]["A2"].value)
