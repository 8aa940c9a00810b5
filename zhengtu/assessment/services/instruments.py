"""Importing instrument workbooks: checked, versioned, idempotent."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Organisation

from ..models import Instrument, InstrumentVersion
from ..workbook import Problem, WorkbookRejected, read_workbook

SHIPPED_FOLDER = Path(__file__).resolve().parent.parent / "instruments"


@dataclass(frozen=True)
class ImportOutcome:
    version: InstrumentVersion
    created: bool


@transaction.atomic
def import_instrument(
    *, actor: Actor | None, content: bytes, file_name: str = "", organisation: Organisation | None = None
) -> ImportOutcome:
    """Import a workbook as a new version and make it current.

    The same workbook imported twice is a no-op. A different workbook under a version number that
    exists already is refused: results taken with that version must keep their meaning.
    Raises WorkbookRejected with every problem found.
    """
    definition = read_workbook(content)
    digest = hashlib.sha256(content).hexdigest()
    instrument, _created = Instrument.objects.select_for_update().get_or_create(
        organisation=organisation,
        code=definition.code,
        defaults={"title": definition.title, "kind": definition.kind},
    )
    existing = InstrumentVersion.objects.filter(instrument=instrument, version=definition.version).first()
    if existing is not None:
        if existing.sha256 == digest or existing.definition == json.loads(json.dumps(definition.to_json())):
            return ImportOutcome(version=existing, created=False)
        raise WorkbookRejected(
            [
                Problem(
                    sheet="settings",
                    row=2,
                    column="version",
                    message=_(
                        "Version %(version)s of “%(code)s” was imported before with different content. "
                        "Give the changed workbook a new version number; results taken with the old one keep it."
                    )
                    % {"version": definition.version, "code": definition.code},
                )
            ]
        )
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition.version,
        title=definition.title,
        definition=definition.to_json(),
        workbook=content,
        workbook_name=file_name[:200],
        sha256=digest,
        is_example=definition.example,
        has_placeholder_texts=definition.placeholder_texts,
        is_sensitive=definition.sensitive,
        show_to_supervisee=definition.show_to_supervisee,
        imported_by=actor.user if actor else None,
    )
    instrument.title = definition.title
    instrument.kind = definition.kind
    instrument.current_version = version
    instrument.save(update_fields=["title", "kind", "current_version"])
    if actor is not None:
        record_event(
            actor,
            action=Action.IMPORT,
            target=version,
            detail={"instrument": definition.code, "version": definition.version, "sha256": digest},
        )
    return ImportOutcome(version=version, created=True)


def load_shipped_instruments(*, actor: Actor | None = None, folder: Path | None = None) -> list[ImportOutcome]:
    """Import every workbook shipped in `instruments/` (idempotent: unchanged files are skipped)."""
    outcomes = []
    for path in sorted((folder or SHIPPED_FOLDER).glob("*.xlsx")):
        outcomes.append(import_instrument(actor=actor, content=path.read_bytes(), file_name=path.name))
    return outcomes


@transaction.atomic
def set_instrument_active(*, actor: Actor, instrument: Instrument, active: bool) -> Instrument:
    if instrument.current_version is None and active:
        raise ValidationError(_("This instrument has no version to use."))
    instrument.is_active = active
    instrument.save(update_fields=["is_active"])
    record_event(actor, action=Action.UPDATE, target=instrument, detail={"is_active": active})
    return instrument
