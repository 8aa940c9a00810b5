"""Serving a private upload (never a static URL) with HTTP range requests.

Browsers play video and audio by asking for byte ranges ("Range: bytes=0-" then further pieces as
the person seeks). Without 206 answers Chromium and Safari cannot seek, and Safari refuses to play.
Offices may sit on closed networks without a CDN, so the application answers ranges itself. One
range per request: players never ask for several, and multipart answers would only add risk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

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
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
