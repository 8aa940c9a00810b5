"""Fixtures of the registry's tests: real division data for Hunan and Guangdong."""

from __future__ import annotations

import pytest

from zhengtu.orgs.divisions import DivisionLevel, load_divisions, read_vendored_divisions


@pytest.fixture
def divisions(db: None) -> None:
    """Provinces 43 and 44 down to counties, plus the townships of 溆浦县 (431224)."""
    records = [
        r
        for r in read_vendored_divisions(provinces=["43", "44"], depth=DivisionLevel.TOWNSHIP)
        if len(r.code) == 6 or r.code.startswith("431224")
    ]
    load_divisions(records)
