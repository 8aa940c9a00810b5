"""Rendering documents from templates: Word through docxtpl, PDF through WeasyPrint.

Every domain renders its documents here, so fonts, template replacement and numbering behave
the same everywhere. PDFs use Noto Sans CJK SC (Debian's fonts-noto-cjk).

Reports are rendered by the thousand (seed 000: 2,025 a year, often in batches), so what does not
change between two documents is prepared once per thread and kept: the font configuration (loading
the system's fonts costs about a third of a one-page PDF), the base stylesheet, and the compiled
templates (Django for HTML, Jinja for Word), keyed by their source text so a replaced template is
picked up at once. Word templates run in Jinja's sandbox: administrators upload them.
"""

from __future__ import annotations

import atexit
import functools
import io
import threading
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from zhengtu.orgs.models import Organisation

from .budget import TemplateTooExpensive, bounded_range, check_output_size, checked_binop, within_budget
from .fetching import DOCUMENT_BASE_URL, RefusedReferences, docx_external_references, make_fetcher
from .models import DocumentSequence, DocumentTemplate, TemplateFormat

PDF_BASE_CSS = """
@page { size: A4; margin: 2.2cm 2cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 11pt; line-height: 1.6; }
h1 { text-align: center; font-size: 18pt; } table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #444; padding: 4px 6px; }
"""


def active_template(
    code: str, template_format: str, organisation: Organisation | None = None
) -> DocumentTemplate | None:
    """The most specific active replacement for `code`: the organisation's own, else a global one."""
    # One query for both cases (a code has a handful of active replacements at most): it runs for
    # every document rendered, twice per assessment report.
    candidates = list(
        DocumentTemplate.objects.filter(code=code, format=template_format, is_active=True).select_related(
            "organisation"
        )
    )
    if organisation is not None:
        own = [
            t for t in candidates if t.organisation is not None and organisation.path.startswith(t.organisation.path)
        ]
        if own:
            return max(own, key=lambda t: (len(t.organisation.path), t.uploaded_at))  # type: ignore[union-attr]
    shared = [t for t in candidates if t.organisation_id is None]
    return max(shared, key=lambda t: (t.uploaded_at, t.pk)) if shared else None


_prepared = threading.local()


@atexit.register
def _release_fonts() -> None:
    """Drop the main thread's font configuration while the interpreter can still remove its temporary folder."""
    _prepared.__dict__.pop("weasyprint", None)


def _jinja_environment() -> Any:
    """This thread's sandboxed Jinja environment, which compiles each distinct template part once."""
    environment = getattr(_prepared, "jinja", None)
    if environment is None:
        from collections.abc import MutableMapping

        from jinja2 import Template as JinjaTemplate
        from jinja2.sandbox import SandboxedEnvironment

        class BoundedTemplate(JinjaTemplate):
            """Renders chunk by chunk, refusing output beyond the size limit (see budget.py)."""

            def render(self, *args: Any, **kwargs: Any) -> str:
                context = self.new_context(dict(*args, **kwargs))
                chunks, size = [], 0
                try:
                    for chunk in self.root_render_func(context):
                        size += len(chunk)
                        check_output_size(size)
                        chunks.append(chunk)
                except TemplateTooExpensive:
                    raise
                except Exception:  # noqa: BLE001 - Jinja's own handling rewrites the traceback
                    self.environment.handle_exception()
                return "".join(chunks)

        class CompilingOnce(SandboxedEnvironment):
            # Bounded work (budget.py): small range(), no huge "x" * n or a ** b.
            intercepted_binops = frozenset({"*", "**"})

            def __init__(self, **options: Any) -> None:
                super().__init__(**options)
                self.kept: dict[str, JinjaTemplate] = {}
                self.globals["range"] = bounded_range
                self.template_class = BoundedTemplate

            def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
                if operator in self.intercepted_binops:
                    return checked_binop(operator, left, right)
                return super().call_binop(context, operator, left, right)

            def from_string(
                self,
                source: str | Any,
                globals: MutableMapping[str, Any] | None = None,  # noqa: A002 - Jinja's own name
                template_class: type[JinjaTemplate] | None = None,
            ) -> JinjaTemplate:
                if globals is not None or template_class is not None or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                compiled = self.kept.get(source)
                if compiled is None:
                    if len(self.kept) >= 64:
                        self.kept.clear()
                    compiled = self.kept[source] = super().from_string(source)
                return compiled

        environment = CompilingOnce(autoescape=True)
        _prepared.jinja = environment
    return environment


@functools.lru_cache(maxsize=32)
def _template_bytes(path: Path, modified: float) -> bytes:
    return path.read_bytes()


def _docx_template_class() -> Any:
    """docxtpl's template, with its clean-up of the XML (`patch_xml`) done once per distinct part.

    `patch_xml` rewrites the template's XML with some thirty regular expressions before Jinja sees it;
    it reads nothing but its argument, and the parts of a template are the same for every document,
    so its result is kept (keyed by the XML itself, so a replaced template is cleaned afresh). That
    was about a quarter of the cost of a Word report.
    """
    kept = getattr(_prepared, "docx_class", None)
    if kept is None:
        from docxtpl import DocxTemplate

        patched: dict[str, str] = {}

        class PatchingOnce(DocxTemplate):  # type: ignore[misc]
            def patch_xml(self, src_xml: str) -> str:
                result = patched.get(src_xml)
                if result is None:
                    if len(patched) >= 64:
                        patched.clear()
                    result = patched[src_xml] = super().patch_xml(src_xml)
                return result

        kept = _prepared.docx_class = PatchingOnce
    return kept


def render_docx_source(source: bytes, context: dict[str, Any]) -> bytes:
    """Render the Word template `source` (docxtpl tags) in Jinja's sandbox."""
    document = _docx_template_class()(io.BytesIO(source))
    within_budget(lambda: document.render(context, jinja_env=_jinja_environment(), autoescape=True))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(
    code: str, default_path: Path, context: dict[str, Any], *, organisation: Organisation | None = None
) -> bytes:
    replacement = active_template(code, TemplateFormat.DOCX, organisation)
    if replacement:
        with replacement.file.open("rb") as handle:
            source = handle.read()
        refused = docx_external_references(source)
        if refused:  # checked at upload too; this catches a template planted some other way
            raise RefusedReferences(refused)
    else:
        source = _template_bytes(default_path, default_path.stat().st_mtime)
    return render_docx_source(source, context)


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    return Template(source)


def render_html(
    code: str, default_template_name: str, context: dict[str, Any], *, organisation: Organisation | None = None
) -> str:
    replacement = active_template(code, TemplateFormat.HTML, organisation)
    if replacement:
        with replacement.file.open("rb") as handle:
            compiled = _compiled(handle.read().decode("utf-8"))
        return within_budget(lambda: compiled.render(Context(context)))
    return render_to_string(default_template_name, context)


# A document's own stylesheet (its <style>) is parsed once per thread and kept, keyed by its text: with
# the cascade's selectors compiled, that was about a tenth of a one-page report. Only sheets whose
# parsing has no effect outside the sheet itself are kept: no @import (fetched), @counter-style and
# @color-profile (written into the document), @layer or var() (resolved against the document); and a
# sheet whose parsing met a refused reference is never kept, so the refusal happens on every render.
_NOT_KEPT = ("@import", "@counter-style", "@color-profile", "@layer", "var(")
_KEPT_SHEETS_MAX = 32
# pydyf compresses every PDF stream at zlib level 9; for the font subset each report embeds (about
# 120 KB before compression) that took three times as long as level 6 for 1 % less size.
PDF_COMPRESSION_LEVEL = 6
_CHECKED_WEASYPRINT = ("70.0",)
_CHECKED_PYDYF = ("0.13.0",)


def _kept_stylesheet(*args: Any, **kwargs: Any) -> Any:
    """Stands in for WeasyPrint's CSS class inside weasyprint.css, where a document's <style> is parsed."""
    from weasyprint import CSS

    prepared = getattr(_prepared, "weasyprint", None)
    text = kwargs.get("string")
    if (
        args
        or prepared is None
        or not isinstance(text, str)
        or kwargs.get("font_config") is not prepared[0]  # only with this thread's kept font configuration
        or any(word in text.lower() for word in _NOT_KEPT)
    ):
        return CSS(*args, **kwargs)
    kept: dict[tuple[str, Any, Any], Any] = _prepared.stylesheets
    key = (text, kwargs.get("base_url"), kwargs.get("media_type"))
    sheet = kept.get(key)
    if sheet is None:
        fetcher = kwargs.get("url_fetcher")
        refused_before = len(getattr(fetcher, "refused", ()))
        # Its own lists of page rules and layers: the cascade reads each sheet's own (StyleFor).
        sheet = CSS(**{name: value for name, value in kwargs.items() if name not in ("page_rules", "layers")})
        if len(getattr(fetcher, "refused", ())) == refused_before:
            if len(kept) >= _KEPT_SHEETS_MAX:
                kept.clear()
            kept[key] = sheet
    return sheet


class _Level6Zlib:
    """pydyf's view of zlib, compressing streams at PDF_COMPRESSION_LEVEL instead of 9."""

    def __getattr__(self, name: str) -> Any:
        import zlib

        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = PDF_COMPRESSION_LEVEL, *args: Any, **kwargs: Any) -> Any:
        import zlib

        return zlib.compressobj(min(level, PDF_COMPRESSION_LEVEL), *args, **kwargs)


def _weasyprint_setup() -> tuple[Any, Any]:
    """This thread's font configuration and base stylesheet (WeasyPrint's are not shared across threads)."""
    prepared = getattr(_prepared, "weasyprint", None)
    if prepared is None:
        import pydyf
        import weasyprint.css
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        prepared = (fonts, CSS(string=PDF_BASE_CSS, font_config=fonts))
        _prepared.stylesheets = {}
        _prepared.weasyprint = prepared
        # Installed once for the process; both look up this thread's state when called. Both reach
        # into the libraries' modules, so only on the versions they were checked against
        # (requirements.lock): after an upgrade PDFs are rendered as the library does, only slower,
        # until someone checks the new version and adds it here.
        if weasyprint.__version__ in _CHECKED_WEASYPRINT and weasyprint.css.CSS is not _kept_stylesheet:
            weasyprint.css.CSS = _kept_stylesheet
        if getattr(pydyf, "VERSION", getattr(pydyf, "__version__", None)) in _CHECKED_PYDYF and not isinstance(
            getattr(pydyf, "zlib", None), _Level6Zlib
        ):
            pydyf.zlib = _Level6Zlib()  # type: ignore[attr-defined]
    return prepared  # type: ignore[no-any-return]


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`; anything it references outside the allow-list (see fetching.py) raises RefusedReferences."""
    from weasyprint import HTML

    fonts, base_css = _weasyprint_setup()
    fetcher = make_fetcher()
    pdf = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[base_css], font_config=fonts
    )
    if fetcher.refused:
        # WeasyPrint only warns about a failed fetch and carries on; a document with a hole is refused.
        raise RefusedReferences(fetcher.refused)
    return pdf  # type: ignore[no-any-return]


def render_pdf(
    code: str, default_template_name: str, context: dict[str, Any], *, organisation: Organisation | None = None
) -> bytes:
    return html_to_pdf(render_html(code, default_template_name, context, organisation=organisation))


@transaction.atomic
def next_document_number(*, bureau: Organisation, kind: str, prefix: str, year: int | None = None) -> str:
    """Issue the next number, e.g. "溆司矫宣〔2026〕17号": sequential per bureau, kind and year."""
    year = year or timezone.localdate().year
    sequence, _created = DocumentSequence.objects.select_for_update().get_or_create(bureau=bureau, year=year, kind=kind)
    DocumentSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db()
    return f"{prefix}〔{year}〕{sequence.last_number}号"


def render_html_file(
    code: str, default_path: Path, context: dict[str, Any], *, organisation: Organisation | None = None
) -> str:
    """Like render_html, for a shipped default kept as a file beside the domain (document_templates/)."""
    replacement = active_template(code, TemplateFormat.HTML, organisation)
    if replacement:
        with replacement.file.open("rb") as handle:
            source = handle.read().decode("utf-8")
        compiled = _compiled(source)
        return within_budget(lambda: compiled.render(Context(context)))  # an uploaded template: bounded
    source = _template_bytes(default_path, default_path.stat().st_mtime).decode("utf-8")
    return _compiled(source).render(Context(context))


def render_pdf_file(
    code: str, default_path: Path, context: dict[str, Any], *, organisation: Organisation | None = None
) -> bytes:
    return html_to_pdf(render_html_file(code, default_path, context, organisation=organisation))
