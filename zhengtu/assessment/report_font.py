"""A compact copy of Noto Sans CJK SC for PDF reports.

WeasyPrint subsets the font of every PDF it writes; doing that from the 20 MB Noto collection costs
about a third of the time of a one-page report. A one-off subset holding the GB 2312 characters
(about 7,700 glyphs, 3 MB) makes each report faster; characters outside it (rare names) still fall
back to the full Noto font through the CSS font list. The subset is built once into the var folder
(`manage.py load_instruments` does it ahead of time) and never committed.

Setting ZHENGTU_ASSESSMENT_REPORT_FONT: a path to use instead, or "" to use the system font only.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

NOTO_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC_INDEX = 2  # the Simplified Chinese face inside the collection
FAMILY = "Zhengtu Report SC"
_lock = threading.Lock()


def _gb2312_characters() -> set[int]:
    characters = set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    characters |= {0xB7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2103, 0x2588, 0x2591, 0x25A0, 0x3001}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                characters.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return characters


def _default_path() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "fonts" / "zhengtu-report-sc.otf"


def build_subset(target: Path) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(NOTO_COLLECTION), fontNumber=NOTO_SC_INDEX)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_gb2312_characters())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".otf.part")
    os.close(handle)
    font.save(temporary)
    os.chmod(temporary, 0o644)  # noqa: S103 - a public font, read by every worker process
    os.replace(temporary, target)  # atomic: parallel builders never see half a font
    return target


def report_font_path(*, build: bool = True) -> Path | None:
    configured = getattr(settings, "ZHENGTU_ASSESSMENT_REPORT_FONT", None)
    if configured is not None:
        return Path(configured) if configured and Path(configured).exists() else None
    target = _default_path()
    if target.exists():
        return target
    if not build or not NOTO_COLLECTION.exists():
        return None
    with _lock:
        if not target.exists():
            try:
                build_subset(target)
            except (OSError, ImportError, KeyError, ValueError):
                logger.exception("Could not build the report font subset; using the system font")
                return None
    return target


def report_font_css() -> str:
    """@font-face rules for the report template ("" when only the system font is available)."""
    path = report_font_path()
    if path is None:
        return ""
    return f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.resolve().as_uri()}"); }}'
