"""Bounding uploaded Office files (xlsx, docx: zip archives) before anything parses them.

A few hundred kilobytes of zip can declare gigabytes of XML (a "zip bomb"): openpyxl or python-docx
would then spend minutes and all memory on it. `check_zip_bounds` reads only the archive's directory
and refuses, with a clear message, an archive whose parts together decompress to more than the
limit or compress suspiciously well. The declared sizes are what zipfile itself enforces while
reading (it stops at a part's declared size and checks its CRC), so a lying directory cannot
smuggle more data through a later read.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DEFAULT_MAX_RATIO = 200
DEFAULT_MAX_PARTS = 10_000


class ArchiveTooLarge(ValidationError):
    """The archive is a zip, but would unpack beyond the bounds (as opposed to not being a zip at all)."""


def check_zip_bounds(
    source: bytes | IO[bytes],
    *,
    max_uncompressed: int | None = None,
    max_ratio: int | None = None,
    what: str = "",
) -> None:
    """Raise ValidationError when the archive is not a zip, ArchiveTooLarge when it would unpack beyond the bounds."""
    bounds = getattr(settings, "ZHENGTU_ARCHIVE_BOUNDS", {}) or {}
    limit = max_uncompressed or int(bounds.get("max_uncompressed", DEFAULT_MAX_UNCOMPRESSED))
    ratio = max_ratio or int(bounds.get("max_ratio", DEFAULT_MAX_RATIO))
    max_parts = int(bounds.get("max_parts", DEFAULT_MAX_PARTS))
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    name = what or _("The file")
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(_("%(what)s is not a valid Office file (xlsx/docx).") % {"what": name}) from error
    finally:
        if not isinstance(source, bytes):
            handle.seek(0)
    if len(members) > max_parts:
        raise ArchiveTooLarge(_("%(what)s has too many parts to be an ordinary Office file.") % {"what": name})
    total = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if total > limit:
        raise ArchiveTooLarge(
            _("%(what)s would unpack to %(size)d MB, more than the %(limit)d MB allowed; split it into smaller files.")
            % {"what": name, "size": total // (1024 * 1024), "limit": limit // (1024 * 1024)}
        )
    if total > 10 * 1024 * 1024 and total / packed > ratio:
        raise ArchiveTooLarge(
            _("%(what)s compresses %(ratio)d times, which ordinary Office files never do; it was refused.")
            % {"what": name, "ratio": total // packed}
        )
