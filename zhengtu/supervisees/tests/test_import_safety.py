"""Issue 16, high 4: an import neither holds the write lock while it parses nor lets a zip bomb in.

The attack: a 456 KB zip-bomb .xlsx held SQLite's write lock for 115 s, a 20,000-row roster for
113 s, and meanwhile other users' saves failed. The file is now read and checked with no
transaction open, written in short batches, bounded before openpyxl sees it, and big files run as a
background job with a progress page.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from zhengtu.audit.services import Actor
from zhengtu.supervisees import importing, services
from zhengtu.supervisees.importing import import_supervisees
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import UserFactory
from zhengtu.workspace.models import Job, JobStatus

from .builders import identity
from .test_importing import row, xlsx


@pytest.mark.django_db(transaction=True)  # real transactions: the test sees whether one is open
def test_the_file_is_parsed_with_no_transaction_open_and_written_in_short_batches(
    world, divisions, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    parsed_in_transaction: list[bool] = []
    written_in_transaction: list[bool] = []
    real_read_rows, real_create = importing.read_rows, services.create_supervisee

    def spying_read_rows(file_name: str, content: bytes) -> Any:
        for number, cells in real_read_rows(file_name, content):
            parsed_in_transaction.append(connection.in_atomic_block)
            yield number, cells

    def spying_create(**kwargs: Any) -> Any:
        written_in_transaction.append(connection.in_atomic_block)
        return real_create(**kwargs)

    monkeypatch.setattr(importing, "read_rows", spying_read_rows)
    monkeypatch.setattr(services, "create_supervisee", spying_create)
    rows = [row(f"张{i}", identity(sequence=i)) for i in range(1, 6)]
    batches: list[int] = []
    with override_settings(ZHENGTU_SUPERVISEES_IMPORT_BATCH_ROWS=2):
        result = import_supervisees(
            actor=Actor(user=world.officer_a),
            file_name="名册.xlsx",
            content=xlsx(rows),
            progress=lambda done, total, stage: batches.append(done) if done < total else None,
        )
    assert batches == [0, 2, 4]  # three short write transactions, not one for the whole file
    assert len(result.imported) == 5 and Supervisee.objects.count() == 5
    assert parsed_in_transaction and not any(parsed_in_transaction)  # the lock is free while parsing
    assert all(written_in_transaction)  # each row still all-or-nothing


def _zip_bomb() -> bytes:
    """A valid-looking .xlsx of ~100 KB with one part that unpacks to 100 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([]))) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (100 * 1024 * 1024) + b"</sst>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    def must_not_open(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl was asked to open the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    bomb = _zip_bomb()
    assert len(bomb) < 1024 * 1024
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="炸弹.xlsx", content=bomb)
    assert "解压" in result.file_problem or "压缩" in result.file_problem, result.file_problem
    assert not Supervisee.objects.exists()


def test_a_sheet_claiming_a_million_rows_is_refused_without_reading_them_all(world) -> None:  # type: ignore[no-untyped-def]
    """Rows far below the data (r="1000000") would make openpyxl yield every blank row in between."""
    content = xlsx([row("张三", identity(sequence=1))])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:J2"/>', b'<dimension ref="A1:XFD1048576"/>')
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                )
            target.writestr(item, data)
    result = import_supervisees(actor=Actor(user=world.officer_a), file_name="名册.xlsx", content=out.getvalue())
    assert "行" in result.file_problem and not Supervisee.objects.exists()


@override_settings(ZHENGTU_SUPERVISEES_IMPORT_BACKGROUND_ABOVE_BYTES=1)
def test_a_big_file_is_imported_as_a_job_whose_page_only_its_owner_sees(client, login, world, divisions) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, world.bureau_a)
    upload = SimpleUploadedFile("大名册.xlsx", xlsx([row("张三", identity(sequence=1)), row("李四", "123")]))
    response = client.post(reverse("supervisees:import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workspace:job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.percent == 100
    assert not job.input_file  # the uploaded roster is not kept
    page = client.get(response["Location"])
    assert "100%" in page.content.decode() and job.result_url in page.content.decode()
    result_page = client.get(job.result_url).content.decode()
    assert "张三" in result_page and "李四" in result_page  # registered, and the row with a problem
    assert Supervisee.objects.filter(name="张三").exists()

    login(client, world.officer_b)  # another county's officer: neither the job nor its result
    assert client.get(reverse("workspace:job", args=[job.pk])).status_code == 404
    assert client.get(job.result_url).status_code in (403, 404)
    other = UserFactory(organisation=world.county_a, role=world.bureau_a.role)
    login(client, other)  # even a colleague with the same rights: the job is personal
    assert client.get(job.result_url).status_code == 404
