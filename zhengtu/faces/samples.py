"""The two public-domain sample faces (sample_faces/LICENCE.md), for tests, demo data, the benchmark and e2e."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageEnhance

SAMPLE_DIR = Path(__file__).resolve().parent / "sample_faces"
FIRST_PERSON = SAMPLE_DIR / "grace_hopper.jpg"
SECOND_PERSON = SAMPLE_DIR / "astronaut.jpg"


def first_person() -> bytes:
    return FIRST_PERSON.read_bytes()


def second_person() -> bytes:
    return SECOND_PERSON.read_bytes()


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def first_person_variant() -> bytes:
    """The first person as another capture would show them: cropped, scaled down and brighter."""
    with Image.open(FIRST_PERSON) as image:
        cropped = image.crop((60, 40, 480, 520)).resize((336, 384))
        return _jpeg(ImageEnhance.Brightness(cropped).enhance(1.25))


def both_people() -> bytes:
    """Both faces side by side: a capture with two faces."""
    with Image.open(FIRST_PERSON) as first, Image.open(SECOND_PERSON) as second:
        height = 300
        a = first.convert("RGB").resize((round(first.width * height / first.height), height))
        b = second.convert("RGB").resize((round(second.width * height / second.height), height))
        canvas = Image.new("RGB", (a.width + b.width, height), "white")
        canvas.paste(a, (0, 0))
        canvas.paste(b, (a.width, 0))
        return _jpeg(canvas)


def no_face() -> bytes:
    """A plain grey picture."""
    return _jpeg(Image.new("RGB", (400, 300), (128, 128, 128)))
