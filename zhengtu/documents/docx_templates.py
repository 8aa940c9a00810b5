"""Slim Word templates: what a shipped .docx carries beyond the styles it uses.

python-docx builds documents from its default template, which carries about 800 KB of XML that no
report reads: every built-in style, their "latent" definitions, a second copy of the styles for Word
2010 (stylesWithEffects.xml), a thumbnail and custom XML. docxtpl parses all of it and compresses it
again for every document it renders, which made that most of the cost of a Word report. `slim()`
keeps the styles the document refers to (with the styles they are based on, linked to or followed by,
and the defaults) and drops the rest. Every build script of a shipped template calls it last.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
STYLE_REFERENCES = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")
STYLE_CHAINS = ("basedOn", "link", "next")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _is_dropped(name: str) -> bool:
    return any(name == part or (part.endswith("/") and name.startswith(part)) for part in DROPPED_PARTS)


def _referenced_styles(parts: dict[str, bytes]) -> set[str]:
    used: set[str] = set()
    for name, data in parts.items():
        if not (name.startswith("word/") and name.endswith(".xml")) or name == "word/styles.xml":
            continue
        tree = etree.fromstring(data)  # noqa: S320 - our own template, not uploaded input
        for reference in STYLE_REFERENCES:
            used.update(node.get(_w("val")) for node in tree.iter(_w(reference)))
    return {style for style in used if style}


def _slim_styles(styles: bytes, used: set[str]) -> bytes:
    tree = etree.fromstring(styles)  # noqa: S320 - our own template
    for latent in tree.findall(_w("latentStyles")):
        tree.remove(latent)
    by_id = {node.get(_w("styleId")): node for node in tree.findall(_w("style"))}
    keep = set(used) | {style_id for style_id, node in by_id.items() if node.get(_w("default")) in ("1", "true")}
    pending = list(keep)
    while pending:
        node = by_id.get(pending.pop())
        if node is None:
            continue
        for chain in STYLE_CHAINS:
            link = node.find(_w(chain))
            target = link.get(_w("val")) if link is not None else None
            if target and target not in keep:
                keep.add(target)
                pending.append(target)
    for style_id, node in by_id.items():
        if style_id not in keep:
            tree.remove(node)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_references(data: bytes, tag: str, attribute: str, dropped: set[str]) -> bytes:
    tree = etree.fromstring(data)  # noqa: S320 - our own template
    for node in list(tree):
        value = node.get(attribute) or ""
        if node.tag == tag and any(value.lstrip("/").endswith(name) or value == "/" + name for name in dropped):
            tree.remove(node)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def slim(path: Path) -> int:
    """Rewrite the .docx at `path` without what no document uses; returns the bytes saved."""
    before = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    dropped = {name for name in parts if _is_dropped(name)}
    kept = {name: data for name, data in parts.items() if name not in dropped}
    if "word/styles.xml" in kept:
        kept["word/styles.xml"] = _slim_styles(kept["word/styles.xml"], _referenced_styles(kept))
    relative = {name.removeprefix("word/") for name in dropped} | dropped
    for rels in [name for name in kept if name.endswith(".rels")]:
        kept[rels] = _without_references(kept[rels], f"{{{RELS}}}Relationship", "Target", relative)
    kept["[Content_Types].xml"] = _without_references(
        kept["[Content_Types].xml"], f"{{{TYPES}}}Override", "PartName", dropped
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())
    return before - len(out.getvalue())
