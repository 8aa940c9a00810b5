"""Issue 17 (a fresh machine): a legal document's PDF embeds the CJK font and reads back as Chinese.

`make run` installs fonts-noto-cjk (scripts/system-packages.sh runtime); without it WeasyPrint falls
back to a font without Chinese glyphs and the document shows empty boxes.
"""

from __future__ import annotations

import shutil
import subprocess

from zhengtu.audit.services import Actor
from zhengtu.documents.services import issue_document
from zhengtu.supervision.tests.pdf import pdf_text


def test_a_release_certificate_embeds_noto_cjk_and_its_chinese_text_reads_back(world) -> None:  # type: ignore[no-untyped-def]
    document = issue_document(
        actor=Actor(user=world.officer_a, ip_address="127.0.0.1"),
        code="supervision.release_certificate",
        organisation=world.office_a,
        context={"name": "欧阳明"},
    )
    executable = shutil.which("pdffonts")
    assert executable, "poppler-utils (pdffonts) is installed by scripts/system-packages.sh"
    listing = subprocess.run([executable, document.pdf.path], capture_output=True, text=True, check=True).stdout  # noqa: S603
    cjk = [line for line in listing.splitlines() if "CJK" in line and "Noto" in line]
    assert cjk, listing
    assert all(" yes " in line for line in cjk), listing  # embedded (emb column), not merely referenced
    text = pdf_text(document.pdf.path)
    assert "欧阳明" in text and "溆司矫解" in text
