"""Documents at volume: a document's own stylesheet is parsed once per thread and kept (see
rendering._kept_stylesheet). What must not change for the people reading the PDFs: every template's
own page set-up and styles apply, a replacement's stylesheet applies to the very next document, and a
stylesheet reaching for a refused file fails every time, not only the first.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from zhengtu.documents.fetching import RefusedReferences
from zhengtu.documents.rendering import html_to_pdf
from zhengtu.supervision.tests.pdf import pdf_text

A4_WIDTH, A5_WIDTH = 595, 420  # points


def _page(stylesheet: str, text: str) -> str:
    return f"<html><head><style>{stylesheet}</style></head><body><p>{text}</p></body></html>"


def _width(pdf: bytes) -> int:
    return round(float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width))


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_each_documents_own_page_rules_apply_however_often_it_is_rendered() -> None:
    a5 = "@page { size: A5; } p { font-size: 12pt; }"
    a4 = "@page { size: A4; } p { font-size: 12pt; }"
    widths = [_width(html_to_pdf(_page(sheet, "通知书"))) for sheet in (a5, a5, a4, a5, a4)]
    assert widths == [A5_WIDTH, A5_WIDTH, A4_WIDTH, A5_WIDTH, A4_WIDTH]


def test_a_changed_stylesheet_applies_to_the_next_document() -> None:
    # One paragraph per page when the stylesheet says so, then not once it no longer does.
    body = "".join(f"<p>第{n}段</p>" for n in range(3))
    breaking = "<html><head><style>p { break-after: page; }</style></head><body>" + body + "</body></html>"
    plain = "<html><head><style>p { color: #333; }</style></head><body>" + body + "</body></html>"
    assert [_pages(html_to_pdf(html)) for html in (breaking, breaking, plain, breaking)] == [3, 3, 1, 3]
    assert "第2段" in pdf_text(html_to_pdf(plain))


def test_a_stylesheet_with_a_refused_font_fails_on_every_render(tmp_path: Path) -> None:
    secret = tmp_path / "field.key"
    secret.write_text("not a font")
    html = _page(f'@font-face {{ font-family: "X"; src: url("{secret.as_uri()}"); }} p {{ font-family: "X"; }}', "正文")
    for _attempt in range(2):
        with pytest.raises(RefusedReferences):
            html_to_pdf(html)


def test_the_speed_ups_are_in_place_on_the_locked_library_versions() -> None:
    # Both reach into WeasyPrint's and pydyf's modules and are installed only on the versions they were
    # checked against. A version change in requirements.lock fails here: check the two against the new
    # version (this file's other tests) and add it to rendering._CHECKED_*, or PDFs quietly get slower.
    import pydyf
    import weasyprint.css

    from zhengtu.documents import rendering

    html_to_pdf(_page("p { color: #333; }", "版本"))
    assert weasyprint.css.CSS is rendering._kept_stylesheet
    assert isinstance(pydyf.zlib, rendering._Level6Zlib)  # type: ignore[attr-defined]
