"""The face matcher, behind one interface so that another engine can replace dlib without touching callers.

The dlib implementation uses only models whose licences allow any use (zhengtu/faces/README.md):
- the HOG frontal-face detector built into dlib (no model file, no CNN),
- `shape_predictor_5_face_landmarks.dat` (5 points: eye corners and nose) to align the face,
- `dlib_face_recognition_resnet_model_v1.dat`, which maps an aligned face to 128 numbers.
It never imports `face_recognition.api`: that module loads the 68-point landmark model at import, and that
model's training data (iBUG 300-W) excludes commercial use.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from PIL import Image, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class FaceReading:
    """What the matcher saw in one image: how many faces, and the encoding of the face when there is exactly one."""

    face_count: int
    encoding: tuple[float, ...] | None = None


class FaceMatcher(Protocol):
    """Finds faces in an image and compares two encodings."""

    #: Stored with each check, so a score can always be traced to the engine that gave it.
    engine: str

    def read(self, image: Image.Image) -> FaceReading:
        """Count the faces in an RGB image and encode the face when there is exactly one."""
        ...

    def similarity(self, first: tuple[float, ...], second: tuple[float, ...]) -> float:
        """1.0 for the same encoding, falling towards 0 as the faces differ (never below 0)."""
        ...


class UnreadableImage(ValueError):
    """The bytes are not an image Pillow can decode (or one so large it would exhaust memory)."""


def load_image(data: bytes, *, max_side: int, max_pixels: int = 50_000_000) -> Image.Image:
    """Decode JPEG/PNG/WebP bytes to RGB, turned upright (EXIF orientation) and shrunk to `max_side`."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise UnreadableImage("too many pixels")
            image = ImageOps.exif_transpose(probe)
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
        if isinstance(error, UnreadableImage):
            raise
        raise UnreadableImage(str(error)) from error
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


class DlibFaceMatcher:
    """dlib's HOG detector + 5-point alignment + ResNet encoding (the models of `face_recognition_models`)."""

    engine = "dlib-resnet-v1/5pt-hog"

    def __init__(self) -> None:
        import dlib
        import face_recognition_models as models

        self._detector: Any = dlib.get_frontal_face_detector()
        self._landmarks: Any = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self._encoder: Any = dlib.face_recognition_model_v1(models.face_recognition_model_location())
        # dlib's objects are not documented as thread-safe; a check-in holds this for ~0.2 s.
        self._lock = threading.Lock()

    def read(self, image: Image.Image) -> FaceReading:
        import numpy

        pixels = numpy.asarray(image.convert("RGB"))
        with self._lock:
            faces = self._detector(pixels, 0)
            if len(faces) == 0:
                # One upsampling pass finds faces down to ~40 px, for a phone held at arm's length.
                faces = self._detector(pixels, 1)
            if len(faces) != 1:
                return FaceReading(face_count=len(faces))
            shape = self._landmarks(pixels, faces[0])
            descriptor = self._encoder.compute_face_descriptor(pixels, shape, 1)
        return FaceReading(face_count=1, encoding=tuple(float(value) for value in descriptor))

    def similarity(self, first: tuple[float, ...], second: tuple[float, ...]) -> float:
        distance = sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) ** 0.5
        return max(0.0, 1.0 - distance)


_matcher: FaceMatcher | None = None
_matcher_lock = threading.Lock()


def get_matcher() -> FaceMatcher:
    """The configured matcher (settings.ZHENGTU_FACE_MATCHER, a dotted path), built once per process."""
    global _matcher  # noqa: PLW0603 (one loaded model set per process: loading takes ~1 s and 100 MB)
    if _matcher is None:
        with _matcher_lock:
            if _matcher is None:
                path = getattr(settings, "ZHENGTU_FACE_MATCHER", "zhengtu.faces.matcher.DlibFaceMatcher")
                _matcher = import_string(path)()
    return _matcher
