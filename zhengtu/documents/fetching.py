"""What a PDF template may pull in: the project's own static assets, system fonts and small inline images.

Administrators upload HTML templates, and WeasyPrint fetches whatever a template references
(`<img src>`, `<link href>`, CSS `url()` and `@import`, `@font-face`). Left to its default fetcher it
would read any local file (the field-encryption key, the database, `/proc/self/environ`) and any URL
the server can reach (SSRF) into a PDF that officers then download. So every fetch goes through
`AllowListFetcher`, which serves only:

- `/static/...` (relative to the document): files the staticfiles finders resolve inside the
  project's own static folders, read by us, never through the network;
- `file:` URLs of font files inside the system font folders (`ZHENGTU_DOCUMENT_FONT_DIRS`) and the
  project's own font cache (`VAR_DIR/cache/fonts`, the subsets assessment reports embed);
- `data:` URLs of raster images (PNG, JPEG, GIF, WebP) up to `ZHENGTU_DOCUMENT_DATA_URL_MAX_BYTES`
  (a seal or a logo); SVG is refused since it may itself reference files.

Everything else (`file:` elsewhere, `http(s):` to any host, other `data:` types) is refused. A refusal
is recorded and, once WeasyPrint is done, `html_to_pdf` raises `RefusedReferences` so the PDF is
discarded, never handed out half-filled. The upload check runs the same fetcher on a dry render and
also scans the template's text, so references inside `{% if %}` branches are caught too.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
import urllib.parse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils.translation import gettext as _

# A document's own origin: relative references resolve against it. `.invalid` never resolves (RFC 6761).
DOCUMENT_BASE_URL = "http://zhengtu.invalid/"
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".woff", ".woff2"}
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
DEFAULT_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# References a template's text can make: src/href/data/poster attributes, CSS url() and @import.
# `<a href>` is a link in the PDF, never fetched, so it is left alone.
_ATTRIBUTE_REFERENCE = re.compile(
    r"<(?!a[\s>])[a-z][^>]*?\s(?:src|href|data|poster|srcset|xlink:href)\s*=\s*[\"']?([^\"'\s>]+)",
    re.IGNORECASE | re.DOTALL,
)
_CSS_REFERENCE = re.compile(r"url\(\s*[\"']?([^\"')]+?)[\"']?\s*\)|@import\s+[\"']([^\"']+)[\"']", re.IGNORECASE)


class RefusedReferences(Exception):  # noqa: N818 - reads as what happened
    """A template referenced something outside the allow-list; the message lists what."""

    def __init__(self, references: list[str]) -> None:
        self.references = list(dict.fromkeys(references))
        shown = "、".join(_shorten(reference) for reference in self.references[:10])
        super().__init__(
            _(
                "The template references files or addresses that documents may not use: %(references)s. "
                "A template may use only the system's own static files (/static/…), installed fonts and "
                "small embedded images (PNG, JPEG, GIF, WebP)."
            )
            % {"references": shown}
        )


def _shorten(reference: str) -> str:
    return reference if len(reference) <= 80 else reference[:77] + "…"


def _font_dirs() -> list[Path]:
    """System font folders, plus the cache where the project writes its own font subsets (assessment reports)."""
    configured = getattr(settings, "ZHENGTU_DOCUMENT_FONT_DIRS", None) or DEFAULT_FONT_DIRS
    own = Path(settings.VAR_DIR) / "cache" / "fonts"
    return [Path(folder).resolve() for folder in (*configured, own)]


def _data_limit() -> int:
    return int(getattr(settings, "ZHENGTU_DOCUMENT_DATA_URL_MAX_BYTES", 512 * 1024))


def _static_file(path: str) -> Path | None:
    """The project's own static file a `/static/…` path names, or None."""
    static_url = urllib.parse.urlsplit(settings.STATIC_URL).path or "/static/"
    if not path.startswith(static_url):
        return None
    relative = urllib.parse.unquote(path[len(static_url) :])
    if not relative or "\x00" in relative:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if found is None:
        candidate = (Path(settings.STATIC_ROOT) / relative).resolve()
        root = Path(settings.STATIC_ROOT).resolve()
        found = str(candidate) if candidate.is_file() and candidate.is_relative_to(root) else None
    if not found or isinstance(found, list):
        return None
    return Path(found).resolve()


def _font_file(url: str) -> Path | None:
    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    path = Path(urllib.parse.unquote(parts.path)).resolve()
    if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
        return None
    return path if any(path.is_relative_to(folder) for folder in _font_dirs()) else None


def _data_image(url: str) -> tuple[str, bytes] | None:
    header, comma, payload = url[5:].partition(",")
    if not comma:
        return None
    mime_type, *parameters = header.split(";")
    if mime_type.strip().lower() not in DATA_IMAGE_TYPES:
        return None
    if len(payload) > _data_limit() * 4 // 3 + 8:
        return None
    try:
        body = (
            base64.b64decode(payload, validate=False)
            if "base64" in parameters
            else urllib.parse.unquote_to_bytes(payload)
        )
    except ValueError:
        return None
    return (mime_type.strip().lower(), body) if len(body) <= _data_limit() else None


def resolve_allowed(url: str) -> tuple[str, bytes] | None:
    """The (MIME type, content) an allowed reference yields, or None when it is refused."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return _data_image(url)
    if scheme == "file":
        font = _font_file(url)
        return (mimetypes.guess_type(font.name)[0] or "font/ttf", font.read_bytes()) if font else None
    if url.startswith(DOCUMENT_BASE_URL):
        static = _static_file("/" + url[len(DOCUMENT_BASE_URL) :].split("?")[0].split("#")[0])
        if static is not None:
            return (mimetypes.guess_type(static.name)[0] or "application/octet-stream", static.read_bytes())
    return None


def is_allowed_reference(reference: str) -> bool:
    """Whether a reference written in a template (relative or absolute) passes the allow-list."""
    reference = reference.strip()
    if not reference or reference.startswith("#") or "{{" in reference or "{%" in reference:
        # An in-document anchor, or a value filled in at render time (checked then).
        return True
    return resolve_allowed(urllib.parse.urljoin(DOCUMENT_BASE_URL, reference)) is not None


def references_in_source(source: str) -> list[str]:
    """Every refused reference written in a template's text, in order of appearance."""
    found = [match.group(1) for match in _ATTRIBUTE_REFERENCE.finditer(source)]
    found += [match.group(1) or match.group(2) for match in _CSS_REFERENCE.finditer(source)]
    return [reference for reference in found if not is_allowed_reference(reference)]


def make_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the allow-list and records what it refused (in `.refused`)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AllowListFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=set(), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            allowed = resolve_allowed(url)
            if allowed is None:
                shown = url[len(DOCUMENT_BASE_URL) - 1 :] if url.startswith(DOCUMENT_BASE_URL) else url
                self.refused.append(shown)
                raise ValueError(f"refused by the document allow-list: {shown[:100]}")
            mime_type, body = allowed
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return AllowListFetcher()


# Word parts that make Word fetch something when the document is opened: linked images, attached
# templates, OLE links, sub-documents, frames. Hyperlinks are only followed on a click and stay allowed.
_DOCX_FIELD_FETCHES = re.compile(rb"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b")
_EXTERNAL_TARGET = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)


def docx_external_references(source: bytes) -> list[str]:
    """What a Word template would make the reader's Word fetch (external relationships, include fields)."""
    import zipfile

    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        for name in archive.namelist():
            if name.endswith(".rels"):
                for relationship in _EXTERNAL_TARGET.findall(archive.read(name)):
                    if b'TargetMode="External"' in relationship and not re.search(
                        rb'Type="[^"]*/hyperlink"', relationship
                    ):
                        target = re.search(rb'Target="([^"]*)"', relationship)
                        found.append(target.group(1).decode("utf-8", "replace") if target else name)
            elif name.startswith("word/") and name.endswith(".xml"):
                for instruction in re.findall(rb"<w:instrText[^>]*>([^<]*)<", archive.read(name)):
                    if _DOCX_FIELD_FETCHES.search(instruction.upper()):
                        found.append(instruction.decode("utf-8", "replace").strip())
                for simple in re.findall(rb'<w:fldSimple[^>]*w:instr="([^"]*)"', archive.read(name)):
                    if _DOCX_FIELD_FETCHES.search(simple.upper()):
                        found.append(simple.decode("utf-8", "replace").strip())
    return found
