"""The key of the audit chain and the checkpoints of its head, both kept outside the database.

Each entry's hash is an HMAC-SHA256 under the audit key (settings.ZHENGTU_AUDIT_KEY, from the
environment or the key file beside the field-encryption key; when unset it is derived from the
field key, which is also outside the database). Someone who can write to the database but
cannot read the key cannot recompute the hashes after rewriting history.

Chains written before the key existed are re-anchored, not rewritten: a signed ChainKeying
record says "the key was introduced at entry N"; entries before N are checked with the old
unkeyed SHA-256 rule, entries from N on only with the key. Without such a record every entry
must be keyed, so deleting the record gains nothing.

The head of the chain lives in the database too, so cutting off the newest entries and moving
the head back would go unnoticed; signed checkpoints of the head, appended to a file outside
the database (settings.ZHENGTU_AUDIT_CHECKPOINT_FILE), remember how far the chain reached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone


def _secret() -> bytes:
    configured = str(getattr(settings, "ZHENGTU_AUDIT_KEY", "") or "")
    if configured:
        return configured.encode()
    return b"derived-from-field-key\x00" + settings.ZHENGTU_FIELD_KEY.encode()


def _derived(purpose: bytes) -> bytes:
    return hashlib.sha256(b"zhengtu-audit-" + purpose + b"\x00" + _secret()).digest()


def chain_key() -> bytes:
    return _derived(b"chain")


def key_fingerprint() -> str:
    """Names the key without revealing it: the verifier can say that a different key is configured."""
    return hashlib.sha256(b"fingerprint\x00" + chain_key()).hexdigest()[:16]


def keyed_hash(encoded: bytes) -> str:
    return hmac.new(chain_key(), encoded, hashlib.sha256).hexdigest()


def unkeyed_hash(encoded: bytes) -> str:
    """The rule before the key was introduced: plain SHA-256, checked only before the keying record."""
    return hashlib.sha256(encoded).hexdigest()


def sign(message: str) -> str:
    return hmac.new(_derived(b"signature"), message.encode(), hashlib.sha256).hexdigest()


def keying_message(first_keyed_sequence: int, fingerprint: str) -> str:
    return f"zhengtu-audit-key-introduced:{first_keyed_sequence}:{fingerprint}"


def signature_is_valid(message: str, signature: str) -> bool:
    return hmac.compare_digest(sign(message), signature)


# --- Checkpoints of the head, appended to a file outside the database ---------------------------


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    entry_hash: str
    written_at: str

    def message(self) -> str:
        return f"zhengtu-audit-checkpoint:{self.sequence}:{self.entry_hash}:{self.written_at}"


@dataclass(frozen=True)
class CheckpointFile:
    checkpoints: list[Checkpoint]
    bad_line: int | None  # the first line whose signature does not verify (edited by hand)


def checkpoint_path() -> Path | None:
    value = getattr(settings, "ZHENGTU_AUDIT_CHECKPOINT_FILE", "")
    return Path(value) if value else None


def append_checkpoint(*, sequence: int, entry_hash: str, now: dt.datetime | None = None) -> Checkpoint | None:
    """One signed line, appended (O_APPEND) and flushed to disk; never rewrites the file."""
    path = checkpoint_path()
    if path is None:
        return None
    written_at = (now or timezone.now()).isoformat(timespec="seconds")
    checkpoint = Checkpoint(sequence=sequence, entry_hash=entry_hash, written_at=written_at)
    line = json.dumps(
        {
            "sequence": sequence,
            "entry_hash": entry_hash,
            "written_at": written_at,
            "signature": sign(checkpoint.message()),
        },
        sort_keys=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return checkpoint


def read_checkpoints() -> CheckpointFile:
    path = checkpoint_path()
    if path is None or not path.exists():
        return CheckpointFile(checkpoints=[], bad_line=None)
    checkpoints: list[Checkpoint] = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            checkpoint = Checkpoint(
                sequence=int(data["sequence"]), entry_hash=str(data["entry_hash"]), written_at=str(data["written_at"])
            )
            valid = signature_is_valid(checkpoint.message(), str(data["signature"]))
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            return CheckpointFile(checkpoints=checkpoints, bad_line=number)
        checkpoints.append(checkpoint)
    return CheckpointFile(checkpoints=checkpoints, bad_line=None)
