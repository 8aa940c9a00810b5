"""The one door to the shared face matcher (zhengtu.faces), the same one the app's check-in uses.

Kept in one function so that the learning app never learns how faces are matched, and tests can
replace the matcher without loading the dlib models.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengtu.audit.services import Actor
from zhengtu.faces.models import FaceCheck, FaceOutcome, Purpose
from zhengtu.faces.services import check_face
from zhengtu.supervisees.models import Supervisee

from .models import FaceCheckOutcome

OUTCOMES: dict[str, str] = {
    FaceOutcome.MATCH: FaceCheckOutcome.PASSED,
    FaceOutcome.NO_FACE: FaceCheckOutcome.NO_FACE,
    FaceOutcome.SEVERAL_FACES: FaceCheckOutcome.NO_FACE,
    FaceOutcome.BAD_IMAGE: FaceCheckOutcome.NO_FACE,
}


@dataclass(frozen=True)
class Match:
    outcome: str  # FaceCheckOutcome
    face_check: FaceCheck | None = None


def match_face(*, supervisee: Supervisee, image: bytes, actor: Actor, exam: bool = False) -> Match:
    """Raises ValidationError (Chinese, nothing stored) when the upload is not a usable image."""
    check = check_face(supervisee=supervisee, image=image, purpose=Purpose.EXAM if exam else Purpose.STUDY, actor=actor)
    # A mismatch, or no registry photo to compare with: nobody confirmed the person, so counting stops.
    return Match(outcome=OUTCOMES.get(check.outcome, FaceCheckOutcome.FAILED), face_check=check)
