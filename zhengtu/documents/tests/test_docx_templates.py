"""Slimming shipped Word templates keeps every style a document uses and drops the rest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document

from zhengtu.documents.docx_templates import slim
from zhengtu.documents.rendering import render_docx_source

SHIPPED = sorted(Path(__file__).resolve().parents[2].glob("*/document_templates/*.docx"))


def _template(path: Path) -> Path:
    document = Document()
    document.add_paragraph("{{ title }}", style="Heading 1")
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "{{ name }}"
    document.save(str(path))
    return path


def test_slimming_keeps_the_styles_in_use_and_drops_the_rest(tmp_path: Path) -> None:
    path = _template(tmp_path / "t.docx")
    before = path.stat().st_size
    assert slim(path) > 0
    assert path.stat().st_size < before / 2
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        styles = archive.read("word/styles.xml").decode()
    assert "word/stylesWithEffects.xml" not in names
    assert not any(name.startswith("customXml/") for name in names)
    assert "latentStyles" not in styles
    assert 'w:styleId="Heading9"' not in styles
    reopened = Document(str(path))
    assert reopened.paragraphs[0].style.name == "Heading 1"
    assert reopened.tables[0].style.name == "Table Grid"
    assert reopened.styles["Heading 1"].base_style.name == "Normal"
    rendered = Document(io.BytesIO(render_docx_source(path.read_bytes(), {"title": "报告", "name": "张三"})))
    assert rendered.paragraphs[0].text == "报告"
    assert rendered.tables[0].rows[0].cells[0].text == "张三"


def test_every_shipped_word_template_is_slim_and_opens() -> None:
    assert len(SHIPPED) >= 10
    for path in SHIPPED:
        with zipfile.ZipFile(path) as archive:
            assert "word/stylesWithEffects.xml" not in archive.namelist(), path.name
            assert "latentStyles" not in archive.read("word/styles.xml").decode(), path.name
        assert Document(str(path)).paragraphs, path.name
