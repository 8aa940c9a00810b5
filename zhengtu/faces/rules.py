"""Defaults of the face checks, each overridable in settings.ZHENGTU_RULES (never edit code for them)."""

from __future__ import annotations

from zhengtu.core.rules import Rules

DEFAULTS: dict[str, object] = {
    # A capture matches the registry photo when similarity (1 − dlib's face distance) is at least this.
    # dlib's own rule of thumb is a distance of 0.6 (similarity 0.4); 0.5 is stricter, because a false
    # "match" here lets someone else report for the person.
    "face_min_similarity": 0.5,
    # Larger uploads are refused before they are decoded (a phone's JPEG at 1280 px is ~300 KB).
    "face_max_megabytes": 5,
    # Images are shrunk to this longest side before detection: enough for a face filling the frame, and it
    # bounds the CPU time per check.
    "face_max_side_pixels": 1024,
    # Smaller images cannot hold a face the detector can find (it needs about 80 px).
    "face_min_side_pixels": 80,
    # Photos of face checks are deleted after this many days (the outcome and score stay).
    "face_photo_retention_days": 365,
}


rule = Rules(DEFAULTS)


def min_similarity() -> float:
    return float(str(rule("face_min_similarity")))


def max_bytes() -> int:
    return int(float(str(rule("face_max_megabytes"))) * 1024 * 1024)


def max_side_pixels() -> int:
    return int(str(rule("face_max_side_pixels")))


def min_side_pixels() -> int:
    return int(str(rule("face_min_side_pixels")))


def photo_retention_days() -> int:
    return int(str(rule("face_photo_retention_days")))
