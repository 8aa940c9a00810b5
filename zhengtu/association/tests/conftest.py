import pytest

from .builders import AssociationWorld, build_association_world


@pytest.fixture
def aw(world) -> AssociationWorld:  # type: ignore[no-untyped-def]
    return build_association_world(world)
