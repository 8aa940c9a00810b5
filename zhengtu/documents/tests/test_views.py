"""Downloading issued documents (scoped, audited) and the administrators' template page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.documents.models import DocumentTemplate
from zhengtu.documents.services import issue_document, upload_template
from zhengtu.testing.factories import make_supervisee

CODE = "supervision.intake_announcement"


def _document(world):  # type: ignore[no-untyped-def]
    supervisee = make_supervisee(world.office_a)
    return issue_document(
        actor=Actor(user=world.officer_a),
        code=CODE,
        organisation=world.office_a,
        supervisee=supervisee,
        context={"name": supervisee.name},
    )


def test_the_owner_downloads_pdf_and_word_and_it_is_audited(client, login, world) -> None:  # type: ignore[no-untyped-def]
    document = _document(world)
    login(client, world.officer_a)
    pdf = client.get(reverse("documents:pdf", args=[document.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    word = client.get(reverse("documents:docx", args=[document.pk]))
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_id=str(document.pk)).count() == 2


def test_an_outsider_gets_404_for_documents(client, login, world) -> None:  # type: ignore[no-untyped-def]
    document = _document(world)
    login(client, world.officer_b)
    assert client.get(reverse("documents:pdf", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:docx", args=[document.pk])).status_code == 404


def test_the_template_page_is_for_administrators(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    assert client.get(reverse("documents:templates")).status_code == 403
    login(client, world.bureau_a)
    page = client.get(reverse("documents:templates"))
    assert page.status_code == 200
    assert CODE in page.content.decode()
    text = page.content.decode()
    # Clerks read the document's business and number mark, not the internal template code.
    assert "所属业务" in text and f"<code>{CODE}</code>" not in text and ">代码<" not in text
    default = client.get(reverse("documents:template_default", args=[CODE, "docx"]))
    assert default.status_code == 200 and default.content[:2] == b"PK"
    assert client.get(reverse("documents:template_default", args=["no.such", "html"])).status_code == 404
    preview = client.get(reverse("documents:template_preview", args=[CODE]))
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")


def test_an_administrator_uploads_a_replacement_on_the_page(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.bureau_a)
    bad = client.post(
        reverse("documents:templates"),
        {"code": CODE, "template_format": "html", "name": "坏", "upload": SimpleUploadedFile("a.html", b"{% for %}")},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    good = client.post(
        reverse("documents:templates"),
        {
            "code": CODE,
            "template_format": "html",
            "name": "溆浦版",
            "upload": SimpleUploadedFile("a.html", b"<p>{{ name }}</p>"),
        },
    )
    assert good.status_code == 302
    assert DocumentTemplate.objects.get().organisation == world.county_a


def test_another_countys_administrator_cannot_switch_off_the_replacement(client, login, world, people) -> None:  # type: ignore[no-untyped-def]
    template = upload_template(
        actor=Actor(user=world.bureau_a),
        code=CODE,
        template_format="html",
        name="溆浦版",
        upload=SimpleUploadedFile("a.html", b"<p>{{ name }}</p>"),
        for_everyone=False,
    )
    login(client, people.bureau_b)
    assert client.post(reverse("documents:template_deactivate", args=[template.pk])).status_code == 404
    template.refresh_from_db()
    assert template.is_active
