from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from zhengtu.faces import samples
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import make_supervisee


def give_registry_photo(supervisee: Supervisee, data: bytes | None = None) -> Supervisee:
    supervisee.photo.save("registry.jpg", ContentFile(data or samples.first_person()), save=True)
    return supervisee


@pytest.fixture
def person(world):  # type: ignore[no-untyped-def]
    """A supervisee of office_a whose registry photo shows the first sample person."""
    return give_registry_photo(make_supervisee(world.office_a, responsible_officer=world.officer_a))
