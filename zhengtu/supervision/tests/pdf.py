"""Reading PDFs back as a person would: poppler's pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def pdf_text(source: bytes | str | Path, *, layout: bool = False) -> str:
    """The text of a PDF given as bytes or a path; pages are separated by form feeds."""
    executable = shutil.which("pdftotext")
    assert executable, "poppler-utils (pdftotext) is needed to read PDFs back"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        if isinstance(source, bytes):
            handle.write(source)
            handle.flush()
            path = handle.name
        else:
            path = str(source)
        arguments = [executable, *(["-layout"] if layout else []), path, "-"]
        return subprocess.run(arguments, capture_output=True, text=True, check=True).stdout  # noqa: S603
