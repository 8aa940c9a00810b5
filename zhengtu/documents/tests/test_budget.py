"""Issue 16, low 18: a Word template's loops cannot hold a web thread (nested range(100000) and friends)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from zhengtu.audit.services import Actor
from zhengtu.documents.budget import TemplateTooExpensive
from zhengtu.documents.models import DocumentTemplate
from zhengtu.documents.registry import document_kind
from zhengtu.documents.rendering import render_docx_source
from zhengtu.documents.services import upload_template

CODE = "supervision.release_certificate"


def _docx_with(tags: str) -> bytes:
    shipped = document_kind(CODE).docx_template
    assert shipped is not None
    out = io.BytesIO()
    with zipfile.ZipFile(shipped) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb"(<w:t(?: [^>]*)?>)", lambda m: m.group(1) + tags.encode(), data, count=1)
            target.writestr(item, data)
    return out.getvalue()


NESTED = "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"


def test_an_upload_with_nested_range_100000_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        upload_template(
            actor=Actor(user=world.bureau_a, ip_address="127.0.0.1"),
            code=CODE,
            template_format="docx",
            name="循环",
            upload=SimpleUploadedFile("t.docx", _docx_with(NESTED)),
            for_everyone=False,
        )
    assert "range()" in " ".join(refused.value.messages)
    assert not DocumentTemplate.objects.exists()


def test_many_small_ranges_are_counted_against_one_budget() -> None:
    loops = "{% for a in range(5000) %}{% for b in range(5000) %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateTooExpensive):
        render_docx_source(_docx_with(loops), {})


def test_a_huge_string_is_refused_before_it_is_built() -> None:
    with pytest.raises(TemplateTooExpensive):
        render_docx_source(_docx_with("{{ 'x' * 1000000000 }}"), {})


@override_settings(ZHENGTU_DOCUMENT_RENDER_SECONDS=1)
def test_loops_over_the_documents_own_data_stop_at_the_time_budget() -> None:
    """No range() at all: eight nested loops over a ten-letter value (10⁸ turns) are stopped by the clock."""
    loops = "".join(f"{{% for v{level} in name %}}" for level in range(8)) + "{% endfor %}" * 8
    with pytest.raises(TemplateTooExpensive):
        render_docx_source(_docx_with(loops), {"name": "abcdefghij"})


def test_an_ordinary_loop_still_renders() -> None:
    rendered = render_docx_source(_docx_with("{% for i in range(3) %}第{{ i }}项{% endfor %}"), {})
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        assert "第0项第1项第2项" in archive.read("word/document.xml").decode()
