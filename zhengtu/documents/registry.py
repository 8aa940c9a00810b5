"""The kinds of document each domain issues, declared on its AppConfig.

An AppConfig sets ``document_kinds = "module:ATTRIBUTE"`` naming a sequence of DocumentKind. The
administrator's template page lists them with their shipped defaults; issuing goes through
documents.services.issue_document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class DocumentKind:
    code: str  # e.g. "supervision.intake_announcement"; the key administrators replace templates by
    title: Any  # lazy translation or Chinese title of the document
    html_template: Path  # shipped default for the PDF
    docx_template: Path | None = None  # shipped default for the editable Word version
    # Document number "<bureau abbreviation>司矫<mark>〔year〕n号"; None: the document carries no number.
    number_mark: str | None = None
    in_execution_archive: bool = False
    in_work_archive: bool = False

    @property
    def area(self) -> str:
        """The business the document belongs to, as the app that declares it is named ("监督管理")."""
        label = self.code.partition(".")[0]
        try:
            return str(apps.get_app_config(label).verbose_name)
        except LookupError:
            return ""


def document_kinds() -> dict[str, DocumentKind]:
    from zhengtu.workspace.registry import load_callable

    kinds: dict[str, DocumentKind] = {}
    for config in apps.get_app_configs():
        dotted = getattr(config, "document_kinds", None)
        if dotted:
            declared: Iterable[DocumentKind] = load_callable(dotted)  # type: ignore[assignment]
            for kind in declared:
                kinds[kind.code] = kind
    return kinds


def document_kind(code: str) -> DocumentKind:
    try:
        return document_kinds()[code]
    except KeyError as error:
        raise LookupError(code) from error
