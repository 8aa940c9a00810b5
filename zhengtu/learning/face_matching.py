"""The one door to the shared face matcher (zhengtu.faces), the same one the app's check-in uses.

Kept in one function so that the learning app never learns how faces are matched, and tests can
replace the matcher without loading the dlib models.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Supervisee

from .models import FaceCheckOutcome

PURPOSE = "learning"


@dataclass(frozen=True)
class Match:
    outcome: str  # FaceCheckOutcome
    distance: float | None = None
    matcher_check_id: int | None = None


def match_face(*, supervisee: Supervisee, image: bytes, actor: Actor) -> Match:
    try:
        from zhengtu.faces.services import check_face  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # the faces app is not installed: nobody can be confirmed
        return Match(FaceCheckOutcome.FAILED)
    check = check_face(supervisee=supervisee, image=image, purpose=PURPOSE, actor=actor.user)
    return Match(
        outcome=_outcome_of(check),
        distance=getattr(check, "distance", None),
        matcher_check_id=getattr(check, "pk", None),
    )


def _outcome_of(check: object) -> str:
    if getattr(check, "passed", False) or getattr(check, "matched", False):
        return FaceCheckOutcome.PASSED
    if getattr(check, "face_found", True) is False:
        return FaceCheckOutcome.NO_FACE
    return FaceCheckOutcome.FAILED
