"""Files of sensitive personal data (face photos, voice notes, positions on a photo): kept outside the media root,
never given a URL, served only by views that first fetched their owner through a scoped selector.

`private_storage` is the storage for such FileFields (`storage=private_storage`, a callable so migrations do not
freeze a path); `private_file_response` is the one way a view sends such a file: it audits the read and forbids
caching and sniffing.

`serve_private_file` answers HTTP range requests (206) for recordings: browsers play video and audio by asking
for byte ranges ("Range: bytes=0-" then further pieces as the person seeks); without 206 answers Chromium and
Safari cannot seek, and Safari refuses to play. Offices may sit on closed networks without a CDN, so the
application answers ranges itself. One range per request: players never ask for several.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event
from zhengtu.core.downloads import content_disposition


@deconstructible(path="zhengtu.core.private_files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file-system storage rooted at settings.ZHENGTU_PRIVATE_ROOT, with no URL at all."""

    @cached_property
    def base_location(self) -> Any:
        return self._value_or_setting(self._location, settings.ZHENGTU_PRIVATE_ROOT)  # type: ignore[attr-defined]

    def url(self, name: str | None) -> str:
        # A URL would be a way around the scoped views; code that asks for one is a mistake.
        raise ValueError("private files have no URL; serve them through a scoped view")

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "ZHENGTU_PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage for FileFields of personal data (pass the function itself as `storage=`)."""
    return _storage


def private_file_response(
    request: Any,
    file: FieldFile,
    *,
    audit_target: Any,
    what: str,
    detail: dict[str, Any] | None = None,
    content_type: str | None = None,
) -> FileResponse:
    """Send a private file inline, after writing who read it (`what` names the file in the audit entry).

    The caller has already fetched `audit_target` through a scoped selector (404 outside scope).
    """
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    record_event(request, action=Action.VIEW, target=audit_target, detail={"file": what, **(detail or {})})
    content_type = content_type or mimetypes.guess_type(PurePath(file.name or "").name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte, both included, of a single "bytes=a-b" range; None when it cannot be satisfied.

    Raises ValueError for a header that is not a single byte range (the whole file is then sent).
    """
    match = _RANGE.match(header.strip())
    if match is None or match.group(0) == "bytes=-":
        raise ValueError(header)
    first_text, last_text = match.groups()
    if first_text == "":
        # "bytes=-500": the last 500 bytes.
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            return None
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        return None
    return first, min(last, size - 1)


def serve_private_file(
    request: HttpRequest, file: FieldFile, *, content_type: str, filename: str = ""
) -> HttpResponse | StreamingHttpResponse:
    """The file, whole (200) or the one range asked for (206), or 416 when the range lies outside it."""
    size = file.size
    response: HttpResponse | StreamingHttpResponse
    header = request.headers.get("Range", "")
    span: tuple[int, int] | None = (0, size - 1) if size else None
    status = 200
    if header:
        try:
            span = parse_range(header, size)
            status = 206
        except ValueError:
            span, status = ((0, size - 1) if size else None), 200
        if span is None and status == 206:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
    if span is None:
        response = HttpResponse(b"", content_type=content_type)
    else:
        first, last = span
        length = last - first + 1
        response = StreamingHttpResponse(
            _chunks(file.open("rb"), first, length), status=status, content_type=content_type
        )
        response["Content-Length"] = str(length)
        if status == 206:
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    if filename:
        response["Content-Disposition"] = content_disposition(filename, inline=True)
    return response
