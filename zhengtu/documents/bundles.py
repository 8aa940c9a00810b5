"""One PDF from many: a cover with a table of contents, then every part in order, with bookmarks.

Parts are PDFs as stored (issued documents, scanned attachments) or pages rendered here (photos,
records). Issued documents are appended unchanged, so the bundle shows exactly what was signed;
that is why pypdf is used (WeasyPrint cannot append existing PDFs). A part that cannot be read
becomes a page saying so: an export never fails because of one broken file.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass, field
from html import escape

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from .rendering import html_to_pdf

logger = logging.getLogger(__name__)

IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


@dataclass
class BundlePart:
    title: str
    pdf: bytes
    section: str = ""  # e.g. "Documents", "Attachments": a heading in the table of contents
    number: str = ""  # a document number, shown in the table of contents
    date: str = ""
    pages: int = field(default=0, init=False)


def notice_pdf(title: str, message: str) -> bytes:
    return html_to_pdf(f"<h1>{escape(title)}</h1><p>{escape(message)}</p>")


def image_pdf(title: str, content: bytes, extension: str) -> bytes:
    mime = IMAGE_TYPES.get(extension.lower(), "image/jpeg")
    data = base64.b64encode(content).decode()
    return html_to_pdf(
        f"<h2>{escape(title)}</h2>"
        f'<img src="data:{mime};base64,{data}" style="max-width:100%;max-height:22cm;display:block;margin:auto">'
    )


def html_part_pdf(html: str) -> bytes:
    return html_to_pdf(html)


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def readable_pdf(title: str, content: bytes) -> bytes:
    """The PDF itself when it can be read, else a page explaining that it could not be included."""
    try:
        if _page_count(content) > 0:
            return content
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        logger.warning("Unreadable PDF attachment %r: %s", title, error)
    return notice_pdf(title, _("This PDF file could not be read and is not included. Open it in Zhengtu."))


def _contents_html(heading: str, lines: list[str], parts: list[BundlePart], first_pages: list[int]) -> str:
    rows = []
    section = None
    for index, (part, page) in enumerate(zip(parts, first_pages, strict=True), start=1):
        if part.section != section:
            section = part.section
            rows.append(f'<tr><th colspan="5" class="section">{escape(section)}</th></tr>')
        rows.append(
            f"<tr><td>{index}</td><td>{escape(part.title)}</td><td>{escape(part.number)}</td>"
            f"<td>{escape(part.date)}</td><td class='page'>{page}</td></tr>"
        )
    info = "".join(f"<p>{escape(line)}</p>" for line in lines)
    labels = [escape(str(label)) for label in (_("Table of contents"), _("Title"), _("Number"), _("Date"), _("Page"))]
    return (
        "<style>.section{text-align:left;background:#eee}.page{text-align:right}"
        "td,th{border:none;border-bottom:1px dotted #999} .cover{margin-bottom:2em}</style>"
        f"<div class='cover'><h1>{escape(heading)}</h1>{info}</div>"
        f"<h2>{labels[0]}</h2>"
        f"<table><thead><tr><th>#</th><th>{labels[1]}</th><th>{labels[2]}</th>"
        f"<th>{labels[3]}</th><th>{labels[4]}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def build_bundle(*, heading: str, lines: list[str], parts: list[BundlePart]) -> bytes:
    """Cover and table of contents (with the page each part starts on), then every part, bookmarked."""
    for part in parts:
        part.pages = _page_count(part.pdf)
    contents_pages = 1
    for _attempt in range(3):  # the contents may grow by a page once the real numbers are in
        first_pages = []
        page = contents_pages + 1
        for part in parts:
            first_pages.append(page)
            page += part.pages
        contents = html_to_pdf(_contents_html(heading, lines, parts, first_pages))
        pages = _page_count(contents)
        if pages == contents_pages:
            break
        contents_pages = pages
    writer = PdfWriter()
    writer.append(io.BytesIO(contents), outline_item=_("Table of contents"), import_outline=False)
    for part in parts:
        writer.append(io.BytesIO(part.pdf), outline_item=part.title, import_outline=False)
    writer.add_metadata({"/Title": heading})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
