"""The two archives export as one PDF: table of contents, then every document and attachment; audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.documents.rendering import html_to_pdf
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.archives import export_archive
from zhengtu.supervision.services.attachments import attach_files
from zhengtu.supervision.services.daily import record_visit
from zhengtu.supervision.services.leave import request_leave

from ..conftest import actor, today
from ..pdf import pdf_text


def _text(pdf: bytes) -> str:
    return pdf_text(pdf, layout=True)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_the_execution_file_lists_every_document_in_its_contents(people, world) -> None:  # type: ignore[no-untyped-def]
    leave = request_leave(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        start_date=today() + dt.timedelta(days=1),
        end_date=today() + dt.timedelta(days=12),
        destination="长沙市",
        reason="就医",
    )
    decide(actor=actor(world.colleague_a), request=leave.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=leave.approval, approve=True)
    judgment = SimpleUploadedFile(
        "判决书.pdf", html_to_pdf("<p>湖南省溆浦县人民法院刑事判决书</p>"), content_type="application/pdf"
    )
    broken = SimpleUploadedFile("损坏.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    attach_files(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        uploads=[judgment, broken],
        execution_archive=True,
        work_archive=False,
    )
    filename, pdf = export_archive(actor=actor(world.bureau_a), supervisee=people.supervisee, archive="execution")
    assert filename.endswith(".pdf")
    text = _text(pdf)
    contents = text.split("\f")[0]
    assert "目录" in contents
    assert "社区矫正宣告书" in contents or "Community correction announcement" in contents
    for document in people.supervisee.documents.all():
        assert document.number in contents
    assert "判决书.pdf" in contents
    assert "湖南省溆浦县人民法院刑事判决书" in text  # the attached PDF's own page is in the bundle
    assert "外出审批表" in text
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.outline) >= 4  # bookmarks: contents, two documents, attachments
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_id=str(people.supervisee.pk)).get()
    assert entry.detail["archive"] == "execution"


def test_the_work_file_has_the_work_record_and_photos(people, world) -> None:  # type: ignore[no-untyped-def]
    record_visit(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind="routine",
        visited_on=today(),
        place="卢峰镇新街",
        notes="在超市上班，表现稳定",
        photos=[SimpleUploadedFile("走访照片.png", _png(), content_type="image/png")],
    )
    _filename, pdf = export_archive(actor=actor(world.officer_a), supervisee=people.supervisee, archive="work")
    text = _text(pdf)
    assert "在超市上班，表现稳定" in text
    assert "走访照片.png" in text.split("\f")[0]


def test_export_needs_the_export_capability(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        export_archive(actor=actor(world.social_worker_a), supervisee=people.supervisee, archive="work")
