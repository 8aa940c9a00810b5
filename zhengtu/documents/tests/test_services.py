"""Issuing documents (numbering, rendering, storing) and administrators' replacement templates."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from docx import Document

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.documents.models import DocumentTemplate
from zhengtu.documents.rendering import active_template
from zhengtu.documents.services import chinese_date, deactivate_template, issue_document, upload_template
from zhengtu.supervision.tests.pdf import pdf_text
from zhengtu.testing.factories import UserFactory, make_supervisee

CODE = "supervision.release_certificate"


def _actor(user):  # type: ignore[no-untyped-def]
    return Actor(user=user, ip_address="127.0.0.1")


def _html(body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("证明书.html", body.encode(), content_type="text/html")


def test_issued_documents_are_numbered_per_bureau_and_stored_with_both_formats(world) -> None:  # type: ignore[no-untyped-def]
    supervisee = make_supervisee(world.office_a)
    context = {"name": supervisee.name, "released_on": "2027年1月4日"}
    first = issue_document(
        actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, supervisee=supervisee, context=context
    )
    second = issue_document(
        actor=_actor(world.officer_a), code=CODE, organisation=world.office_a2, supervisee=supervisee, context=context
    )
    other = issue_document(actor=_actor(world.officer_b), code=CODE, organisation=world.office_b, context=context)
    assert first.number.startswith("溆司矫解〔") and first.number.endswith("〕1号")
    assert second.number.endswith("〕2号")  # same county bureau, next number
    assert other.number.startswith("辰司矫解〔") and other.number.endswith("〕1号")
    assert supervisee.name in pdf_text(first.pdf.path)
    word = Document(io.BytesIO(first.docx.read()))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert supervisee.name in cells
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="documents.generateddocument").count() == 3


@override_settings(ZHENGTU_DOCUMENT_BUREAU_ABBREVIATIONS={"溆浦县社区矫正管理局": "溆浦"})
def test_the_bureau_abbreviation_is_a_setting(world) -> None:  # type: ignore[no-untyped-def]
    document = issue_document(actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={})
    assert document.number.startswith("溆浦司矫解〔")


def test_chinese_dates() -> None:
    import datetime as dt

    assert chinese_date(dt.date(2026, 10, 1)) == "2026年10月1日"
    assert chinese_date(None) == ""


def test_an_administrator_replaces_a_template_for_their_subtree(world) -> None:  # type: ignore[no-untyped-def]
    upload_template(
        actor=_actor(world.bureau_a),
        code=CODE,
        template_format="html",
        name="溆浦版证明书",
        upload=_html("<h1>溆浦县解除社区矫正证明书</h1><p>{{ name }}</p>"),
        for_everyone=False,
    )
    inside = issue_document(
        actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={"name": "张三"}
    )
    outside = issue_document(
        actor=_actor(world.officer_b), code=CODE, organisation=world.office_b, context={"name": "李四"}
    )
    assert "溆浦县解除社区矫正证明书" in pdf_text(inside.pdf.path)
    assert "溆浦县解除社区矫正证明书" not in pdf_text(outside.pdf.path)
    template = active_template(CODE, "html", world.office_a)
    assert template is not None
    deactivate_template(actor=_actor(world.bureau_a), template=template)
    assert active_template(CODE, "html", world.office_a) is None


def test_a_broken_or_wrong_template_is_refused_with_a_message(world) -> None:  # type: ignore[no-untyped-def]
    for upload in (
        _html("{% if %}"),
        SimpleUploadedFile("证明书.pdf", b"%PDF", content_type="application/pdf"),
        SimpleUploadedFile("证明书.docx", b"not a zip", content_type="application/octet-stream"),
    ):
        template_format = "docx" if upload.name.endswith(".docx") else "html"
        with pytest.raises(ValidationError) as error:
            upload_template(
                actor=_actor(world.bureau_a),
                code=CODE,
                template_format=template_format,
                name="",
                upload=upload,
                for_everyone=False,
            )
        assert "file" in error.value.message_dict
    assert not DocumentTemplate.objects.exists()


def test_only_administrators_replace_templates_and_only_superusers_everywhere(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        upload_template(
            actor=_actor(world.officer_a),
            code=CODE,
            template_format="html",
            name="",
            upload=_html("x"),
            for_everyone=False,
        )
    with pytest.raises(ValidationError):
        upload_template(
            actor=_actor(world.bureau_a),
            code=CODE,
            template_format="html",
            name="",
            upload=_html("x"),
            for_everyone=True,
        )
    root = UserFactory(is_superuser=True, role="")
    template = upload_template(
        actor=_actor(root),
        code=CODE,
        template_format="html",
        name="",
        upload=_html("<p>{{ name }}</p>"),
        for_everyone=True,
    )
    assert template.organisation is None


def _docx(*paragraphs: str) -> SimpleUploadedFile:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("证明书.docx", out.getvalue(), content_type="application/octet-stream")


def test_a_word_template_cannot_reach_into_python(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        upload_template(
            actor=_actor(world.bureau_a),
            code=CODE,
            template_format="docx",
            name="",
            upload=_docx("{{ name.__class__.__mro__ }}"),
            for_everyone=False,
        )
    assert "file" in error.value.message_dict
    assert not DocumentTemplate.objects.exists()


def test_a_replaced_word_template_applies_to_the_next_document(world) -> None:  # type: ignore[no-untyped-def]
    def words(document) -> str:  # type: ignore[no-untyped-def]
        return "\n".join(p.text for p in Document(io.BytesIO(document.docx.read())).paragraphs)

    first = issue_document(actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={})
    assert "溆浦县专用证明书" not in words(first)
    upload_template(
        actor=_actor(world.bureau_a),
        code=CODE,
        template_format="docx",
        name="",
        upload=_docx("溆浦县专用证明书", "{{ name }}"),
        for_everyone=False,
    )
    second = issue_document(
        actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={"name": "张三"}
    )
    assert "溆浦县专用证明书\n张三" in words(second)


def test_a_county_template_beats_the_one_for_everyone_and_the_newest_for_everyone_applies(world) -> None:  # type: ignore[no-untyped-def]
    root = UserFactory(is_superuser=True, role="")
    for heading in ("全国通用版一", "全国通用版二"):
        upload_template(
            actor=_actor(root),
            code=CODE,
            template_format="html",
            name=heading,
            upload=_html(f"<h1>{heading}</h1>"),
            for_everyone=True,
        )
    upload_template(
        actor=_actor(world.bureau_a),
        code=CODE,
        template_format="html",
        name="溆浦版",
        upload=_html("<h1>溆浦县专用版</h1>"),
        for_everyone=False,
    )
    inside = issue_document(actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={})
    outside = issue_document(actor=_actor(world.officer_b), code=CODE, organisation=world.office_b, context={})
    assert "溆浦县专用版" in pdf_text(inside.pdf.path)
    assert "全国通用版二" in pdf_text(outside.pdf.path)
    assert "全国通用版一" not in pdf_text(outside.pdf.path)
