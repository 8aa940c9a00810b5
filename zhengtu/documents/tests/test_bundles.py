"""One PDF from many parts: the table of contents gives the page each part starts on."""

from __future__ import annotations

import io

from pypdf import PdfReader

from zhengtu.documents.bundles import BundlePart, build_bundle, readable_pdf
from zhengtu.documents.rendering import html_to_pdf


def _pages(count: int, label: str) -> bytes:
    return html_to_pdf("".join(f'<p style="page-break-after: always">{label} 第{n}页</p>' for n in range(1, count + 1)))


def test_contents_then_parts_starting_on_the_pages_listed() -> None:
    parts = [
        BundlePart(title="甲文书", pdf=_pages(2, "甲")),
        BundlePart(title="乙文书", pdf=_pages(3, "乙"), number="溆司矫宣〔2026〕1号"),
    ]
    bundle = build_bundle(heading="执行档案：张三", lines=["负责司法所：卢峰司法所"], parts=parts)
    reader = PdfReader(io.BytesIO(bundle))
    assert len(reader.pages) == 1 + 2 + 3
    contents = reader.pages[0].extract_text()
    assert "甲文书" in contents and "溆司矫宣〔2026〕1号" in contents
    assert "甲 第1页" in reader.pages[1].extract_text()
    assert "乙 第1页" in reader.pages[3].extract_text()
    assert [item.title for item in reader.outline][1:] == ["甲文书", "乙文书"]


def test_a_long_contents_shifts_the_page_numbers() -> None:
    page = _pages(1, "附件")  # one rendering reused: the test is about the contents, not the parts
    parts = [BundlePart(title=f"附件{n}", pdf=page) for n in range(70)]
    reader = PdfReader(io.BytesIO(build_bundle(heading="工作档案", lines=[], parts=parts)))
    contents_pages = len(reader.pages) - 70
    assert contents_pages >= 2
    assert "附件 第1页" in reader.pages[contents_pages].extract_text()
    assert "附件 第1页" not in reader.pages[contents_pages - 1].extract_text()


def test_an_unreadable_pdf_becomes_a_notice_page() -> None:
    notice = readable_pdf("坏文件.pdf", b"%PDF-1.4 broken")
    assert PdfReader(io.BytesIO(notice)).pages[0].extract_text()
