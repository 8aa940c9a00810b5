"""The files that came with a commission (private, scoped, audited) and the opinion's Word version."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.investigations.services import decide_opinion

from .test_investigations import _commission, _investigate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_files(world):  # type: ignore[no-untyped-def]
    return _commission(
        world,
        documents=[
            SimpleUploadedFile("委托函.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("起诉书.html", b"<script>alert(1)</script>", content_type="text/html"),
        ],
        document_titles=["委托函", "起诉书"],
    )


def test_the_commission_documents_are_private_and_download_for_the_bureau_and_office(client, login, world) -> None:  # type: ignore[no-untyped-def]
    investigation = _with_files(world)
    letter, indictment = investigation.documents.all()
    # Kept outside the media root, where no URL reaches them.
    assert Path(letter.file.path).is_relative_to(Path(settings.ZHENGTU_PRIVATE_ROOT))
    assert not Path(settings.MEDIA_ROOT, letter.file.name).exists()

    login(client, world.bureau_a)
    page = client.get(reverse("investigations:documents", args=[investigation.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "委托函" in text and "起诉书" in text
    url = reverse("investigations:document", args=[investigation.pk, letter.pk])
    assert url in text
    assert url in client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    read = AuditEntry.objects.filter(action="view", object_id=str(investigation.pk)).order_by("-pk").first()
    assert read is not None and read.detail.get("file") == "委托函"

    # An upload a browser would run is saved, never shown in place.
    other = client.get(reverse("investigations:document", args=[investigation.pk, indictment.pk]))
    assert other["Content-Disposition"].startswith("attachment")

    # The office the investigation is assigned to opens them too.
    from zhengtu.investigations.services import assign

    assign(actor=Actor(user=world.bureau_a), investigation=investigation, office=world.office_a)
    login(client, world.officer_a)
    assert client.get(url).status_code == 200


def test_outsiders_get_404_on_the_documents_page_and_files(client, login, world) -> None:  # type: ignore[no-untyped-def]
    investigation = _with_files(world)
    mine = _commission(world, commission_number="（2026）湘1224刑初99号")
    letter = investigation.documents.first()
    assert letter is not None
    login(client, world.officer_b)
    before = AuditEntry.objects.filter(action="view").count()
    assert client.get(reverse("investigations:documents", args=[investigation.pk])).status_code == 404
    assert client.get(reverse("investigations:document", args=[investigation.pk, letter.pk])).status_code == 404
    # A document named under another investigation of the same bureau is not reachable through it either.
    login(client, world.bureau_a)
    assert client.get(reverse("investigations:document", args=[mine.pk, letter.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="view").count() == before


def test_the_opinion_is_issued_in_word_beside_the_pdf(client, login, world) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    investigation = _investigate(world)
    decide_opinion(actor=Actor(user=world.bureau_a), investigation=investigation, approve=True)
    document = investigation.document
    assert document is not None and document.docx and document.pdf
    login(client, world.bureau_a)
    detail = client.get(reverse("investigations:detail", args=[investigation.pk])).content.decode()
    assert reverse("documents:docx", args=[document.pk]) in detail
    response = client.get(reverse("documents:docx", args=[document.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    word = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "调查评估意见书" in text
    assert "王某某" in text and "王某某" in cells
    assert "我局认为王某某适宜社区矫正" in text and "具备社区矫正条件。" in text
    assert "父亲王某" in text and document.number in text
    assert "{{" not in text + cells and "{%" not in text
