from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.faces import samples
from zhengtu.faces.models import FaceCheck, FaceOutcome, Purpose, RegistryEncoding
from zhengtu.faces.services import check_face
from zhengtu.testing.factories import make_supervisee

pytestmark = pytest.mark.django_db


def test_the_same_person_matches_and_is_stored_with_score_and_audit(world, person) -> None:  # type: ignore[no-untyped-def]
    check = check_face(
        supervisee=person,
        image=samples.first_person_variant(),
        purpose=Purpose.CHECKIN,
        actor=Actor(user=world.officer_a),
    )
    assert check.outcome == FaceOutcome.MATCH
    assert check.similarity is not None and check.similarity >= check.threshold
    assert check.photo.name.startswith("faces/checks/")
    assert AuditEntry.objects.filter(object_type="faces.facecheck", object_id=str(check.pk)).exists()
    # The registry photo's encoding was computed once and kept.
    assert RegistryEncoding.objects.get(supervisee=person).encoding


def test_another_person_is_a_mismatch(person) -> None:  # type: ignore[no-untyped-def]
    check = check_face(supervisee=person, image=samples.second_person(), purpose=Purpose.CHECKIN, actor=Actor())
    assert check.outcome == FaceOutcome.MISMATCH
    assert check.similarity is not None and check.similarity < check.threshold


@pytest.mark.parametrize(
    ("image", "outcome"),
    [(samples.no_face, FaceOutcome.NO_FACE), (samples.both_people, FaceOutcome.SEVERAL_FACES)],
)
def test_no_face_and_two_faces_are_stored_as_such(person, image, outcome) -> None:  # type: ignore[no-untyped-def]
    check = check_face(supervisee=person, image=image(), purpose=Purpose.STUDY, actor=Actor())
    assert check.outcome == outcome
    assert check.similarity is None


def test_no_registry_photo_is_no_reference(world) -> None:  # type: ignore[no-untyped-def]
    bare = make_supervisee(world.office_a)
    check = check_face(supervisee=bare, image=samples.first_person(), purpose=Purpose.CHECKIN, actor=Actor())
    assert check.outcome == FaceOutcome.NO_REFERENCE


def test_not_an_image_is_refused_in_chinese_and_nothing_is_stored(person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        check_face(supervisee=person, image=b"GIF89a? no", purpose=Purpose.CHECKIN, actor=Actor())
    assert "照片" in error.value.messages[0]
    assert not FaceCheck.objects.exists()


@override_settings(ZHENGTU_RULES={"face_max_megabytes": 0.01})
def test_an_oversized_upload_is_refused_before_decoding(person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        check_face(supervisee=person, image=samples.first_person(), purpose=Purpose.CHECKIN, actor=Actor())
    assert "太大" in error.value.messages[0]
    assert not FaceCheck.objects.exists()


@override_settings(ZHENGTU_RULES={"face_min_similarity": 0.99})
def test_the_threshold_is_a_setting(person) -> None:  # type: ignore[no-untyped-def]
    check = check_face(supervisee=person, image=samples.first_person_variant(), purpose=Purpose.EXAM, actor=Actor())
    assert check.outcome == FaceOutcome.MISMATCH
    assert check.threshold == 0.99


def test_the_stored_photo_lies_outside_the_media_root(settings, person) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    check = check_face(supervisee=person, image=samples.first_person(), purpose=Purpose.CHECKIN, actor=Actor())
    stored = Path(check.photo.path).resolve()
    assert stored.is_relative_to(Path(settings.ZHENGTU_PRIVATE_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError, match="no URL"):
        check.photo.url  # noqa: B018
