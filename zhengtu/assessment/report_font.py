"""A compact copy of Noto Sans CJK SC for PDF reports.

WeasyPrint subsets the font of every PDF it writes; doing that from the 20 MB Noto collection costs
about a third of the time of a one-page report. A one-off subset holding the GB 2312 characters
(about 7,700 glyphs) makes each report faster; characters outside it (rare names) still fall back to
the full Noto font through the CSS font list. The subset's outlines are converted from PostScript
(CFF) to TrueType quadratic curves: HarfBuzz subsets TrueType outlines several times faster than CFF
ones, and the fonts embedded in each report come out about half the size. The subset is built once
into the var folder (`manage.py load_instruments`, run by `make run`, does it ahead of time; about
half a minute) and never committed.

Setting ZHENGTU_ASSESSMENT_REPORT_FONT: a path to use instead, or "" to use the system font only.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

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
    return Path(settings.VAR_DIR) / "cache" / "fonts" / "zhengtu-report-sc.ttf"


def _to_truetype(font: Any) -> None:
    """Replace the CFF outlines of `font` by TrueType ones (within one font unit of the curves)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(outlines)
        # PostScript contours run the other way round from TrueType ones.
        outlines[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxTwilightPoints",
        "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
        "maxComponentElements", "maxComponentDepth",
    ):  # fmt: skip
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1  # the point counts are recounted from the outlines when the font is saved
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: PDFs map glyphs to text through the cmap
    font.sfntVersion = "\0\1\0\0"


def build_subset(target: Path) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it lists every glyph at INFO

    font = TTFont(str(NOTO_COLLECTION), fontNumber=NOTO_SC_INDEX)
    options = subset.Options()
    # The features HarfBuzz applies to horizontal text, less "locl" (the SC face's default glyphs
    # are the Simplified Chinese forms): vertical forms and the Japanese, Korean and traditional
    # forms of other languages would nearly double the glyphs every report has to subset.
    options.layout_features = ["ccmp", "mark", "mkmk", "rlig", "calt", "clig", "curs", "kern", "liga", "rclt"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_gb2312_characters())
    subsetter.subset(font)
    _to_truetype(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".ttf.part")
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
