"""The attack of issue 16 (critical 1): an uploaded HTML template that reads server files or internal URLs.

WeasyPrint fetches whatever a template references; a bureau administrator's template referencing the
key file, `/proc/self/environ` or an internal URL used to get those embedded into every PDF officers
downloaded. Each reference is now refused at upload, and a template planted some other way fails
at render time without producing a PDF.
"""

from __future__ import annotations

import base64
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtu.audit.services import Actor
from zhengtu.documents.fetching import RefusedReferences
from zhengtu.documents.models import DocumentTemplate, GeneratedDocument
from zhengtu.documents.rendering import html_to_pdf
from zhengtu.documents.services import issue_document, preview_document, upload_template
from zhengtu.supervision.tests.pdf import pdf_text

CODE = "supervision.release_certificate"
SECRET = "ZHENGTU-SECRET-MARKER-7731"
# A 1x1 transparent PNG.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Recorder.hits.append(self.path)
        body = f"p {{ }} /* {SECRET} */".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def internal_server() -> Iterator[str]:
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "field.key"
    path.write_text(SECRET)
    return path


def _actor(user):  # type: ignore[no-untyped-def]
    return Actor(user=user, ip_address="127.0.0.1")


def _hostile_templates(secret: Path, server: str) -> dict[str, str]:
    return {
        "key file as image": f'<h1>证明书</h1><img src="file://{secret}">',
        "key file as stylesheet": f'<link rel="stylesheet" href="{secret.as_uri()}"><p>{{{{ name }}}}</p>',
        "environment": '<object data="file:///proc/self/environ"></object><p>x</p>',
        "css import": f"<style>@import url('{server}/internal');</style><p>x</p>",
        "internal url": f'<img src="{server}/admin/">',
        "url in a branch": f'{{% if name == "nobody" %}}<img src="{server}/hidden">{{% endif %}}',
        "svg data": '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
        "traversal": '<img src="/static/../../../../etc/passwd">',
    }


@pytest.mark.parametrize(
    "case",
    [
        "key file as image",
        "key file as stylesheet",
        "environment",
        "css import",
        "internal url",
        "url in a branch",
        "svg data",
        "traversal",
    ],
)
def test_an_uploaded_template_referencing_files_or_internal_urls_is_refused(
    world, secret_file, internal_server, case
) -> None:  # type: ignore[no-untyped-def]
    source = _hostile_templates(secret_file, internal_server)[case]
    with pytest.raises(ValidationError) as refused:
        upload_template(
            actor=_actor(world.bureau_a),
            code=CODE,
            template_format="html",
            name="恶意模板",
            upload=SimpleUploadedFile("t.html", source.encode(), content_type="text/html"),
            for_everyone=False,
        )
    message = " ".join(refused.value.messages)
    assert "不得使用" in message, message  # the Chinese explanation, listing the references
    assert not DocumentTemplate.objects.filter(code=CODE).exists()
    assert _Recorder.hits == []  # the internal server was never asked


def test_a_planted_template_fails_at_render_time_and_no_pdf_carries_the_file(
    world, secret_file, internal_server
) -> None:  # type: ignore[no-untyped-def]
    source = (
        f'<h1>证明书</h1><p>{{{{ name }}}}</p><img src="{secret_file.as_uri()}">'
        f'<link rel="stylesheet" href="{internal_server}/x.css">'
        "<style>body { background: url('file:///proc/self/environ'); }</style>"
    )
    template = DocumentTemplate(code=CODE, format="html", name="planted", organisation=world.bureau_a.organisation)
    template.file.save("planted.html", ContentFile(source.encode()), save=False)
    template.uploaded_by = world.bureau_a
    template.save()
    with pytest.raises(ValidationError) as failed:
        issue_document(actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={"name": "张三"})
    message = " ".join(failed.value.messages)
    assert "file:///" in message and "/proc/self/environ" in message  # the refused references are named
    assert not GeneratedDocument.objects.exists()
    with pytest.raises(ValidationError):
        preview_document(code=CODE, organisation=world.office_a)
    assert _Recorder.hits == []


def test_html_to_pdf_never_returns_a_pdf_with_a_refused_reference(secret_file) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RefusedReferences) as refused:
        html_to_pdf(f'<p>正文</p><iframe src="{secret_file.as_uri()}"></iframe><img src="{secret_file}">')
    assert str(secret_file) in refused.value.references  # (WeasyPrint does not load iframes at all)


def test_own_static_files_fonts_and_small_images_are_still_allowed(world) -> None:  # type: ignore[no-untyped-def]
    source = (
        '<link rel="stylesheet" href="/static/zhengtu/app.css">'
        f'<h1>溆浦县证明书</h1><img src="data:image/png;base64,{PIXEL}"><p>{{{{ name }}}}</p>'
    )
    upload_template(
        actor=_actor(world.bureau_a),
        code=CODE,
        template_format="html",
        name="带图模板",
        upload=SimpleUploadedFile("t.html", source.encode(), content_type="text/html"),
        for_everyone=False,
    )
    document = issue_document(
        actor=_actor(world.officer_a), code=CODE, organisation=world.office_a, context={"name": "张三"}
    )
    assert "溆浦县证明书" in pdf_text(document.pdf.path)


def _docx_with_external_image(url: str) -> bytes:
    from zhengtu.documents.registry import document_kind

    shipped = document_kind(CODE).docx_template
    assert shipped is not None
    out = io.BytesIO()
    with zipfile.ZipFile(shipped) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/image" Target="' + url.encode() + b'" TargetMode="External"/></Relationships>',
                )
            target.writestr(item, data)
    return out.getvalue()


def test_a_word_template_that_makes_word_fetch_a_url_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        upload_template(
            actor=_actor(world.bureau_a),
            code=CODE,
            template_format="docx",
            name="外链",
            upload=SimpleUploadedFile("t.docx", _docx_with_external_image("http://10.0.0.1/track.png")),
            for_everyone=False,
        )
    assert "http://10.0.0.1/track.png" in " ".join(refused.value.messages)
