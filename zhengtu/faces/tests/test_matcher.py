"""The dlib matcher on known pairs: the same photo altered matches, the other person does not."""

from __future__ import annotations

import pytest

from zhengtu.faces import rules, samples
from zhengtu.faces.matcher import UnreadableImage, get_matcher, load_image


def _read(data: bytes):  # type: ignore[no-untyped-def]
    return get_matcher().read(load_image(data, max_side=1024))


def test_same_person_altered_is_above_the_threshold() -> None:
    original, variant = _read(samples.first_person()), _read(samples.first_person_variant())
    assert original.face_count == variant.face_count == 1
    assert get_matcher().similarity(original.encoding, variant.encoding) >= rules.min_similarity()


def test_different_people_are_below_the_threshold() -> None:
    first, second = _read(samples.first_person()), _read(samples.second_person())
    assert first.face_count == second.face_count == 1
    assert get_matcher().similarity(first.encoding, second.encoding) < rules.min_similarity()


def test_counts_two_faces_and_none() -> None:
    assert _read(samples.both_people()).face_count == 2
    reading = _read(samples.no_face())
    assert reading.face_count == 0
    assert reading.encoding is None


def test_not_an_image_is_unreadable() -> None:
    with pytest.raises(UnreadableImage):
        load_image(b"%PDF-1.4 not a photo", max_side=1024)


def test_only_the_five_point_model_is_loaded() -> None:
    """The 68-point model's training data excludes commercial use: the matcher never touches face_recognition.api."""
    import sys

    get_matcher()
    assert "face_recognition.api" not in sys.modules
