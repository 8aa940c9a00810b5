"""The pure logic behind the registry and dashboards benches' seeded template (bench/seeded.py): a changed seed
builds a new template, every run gets a database name of its own, and only copies of runs that are gone are
ever dropped by another run."""

from __future__ import annotations

import datetime as dt
import fcntl
from pathlib import Path

import pytest

from bench.seeded import (
    copy_name,
    copy_owner_pid,
    file_lock,
    seed_key,
    seed_sources,
    template_name,
    template_too_old,
)


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    (tmp_path / "seed.py").write_text("SCALES = {'province': 50_000}\n")
    (tmp_path / "demo.py").write_text("def seed(*, scale): ...\n")
    return [tmp_path / "seed.py", tmp_path / "demo.py"]


def key(sources: list[Path], root: Path, **changes: object) -> str:
    arguments: dict[str, object] = {"scale": "province", "seed_value": 20201, "field_key": "k1"} | changes
    return seed_key(
        str(arguments["scale"]),
        seed_value=int(str(arguments["seed_value"])),
        sources=sources,
        field_key=str(arguments["field_key"]),
        root=root,
    )


def test_the_same_seed_gives_the_same_template(sources: list[Path], tmp_path: Path) -> None:
    assert key(sources, tmp_path) == key(list(reversed(sources)), tmp_path)
    assert template_name("province", key(sources, tmp_path)).startswith("zt_tpl_province_")


def test_a_changed_seed_gives_another_template(sources: list[Path], tmp_path: Path) -> None:
    before = key(sources, tmp_path)
    assert key(sources, tmp_path, scale="city") != before
    assert key(sources, tmp_path, seed_value=1) != before
    # The template holds identity numbers encrypted with the bench key: another key, another template.
    assert key(sources, tmp_path, field_key="k2") != before
    sources[1].write_text("def seed(*, scale): print('one more demo row')\n")
    assert key(sources, tmp_path) != before


def test_the_key_does_not_reveal_the_field_key(sources: list[Path], tmp_path: Path) -> None:
    secret = "a-field-key-that-must-not-show"
    assert secret[:12] not in template_name("province", key(sources, tmp_path, field_key=secret))


def test_the_seed_sources_are_the_demo_code_without_its_tests() -> None:
    found = {str(path.relative_to(Path(__file__).resolve().parents[3])) for path in seed_sources()}
    assert "zhengtu/demo/seed.py" in found
    assert "zhengtu/monitoring/demo.py" in found
    assert not any("/tests/" in path for path in found)


def test_every_run_gets_a_database_of_its_own() -> None:
    names = {copy_name() for _ in range(200)}
    assert len(names) == 200
    assert copy_name(pid=4242, token="beef") == "bench_4242_beef"


def test_only_bench_copies_name_an_owner() -> None:
    assert copy_owner_pid(copy_name(pid=4242)) == 4242
    # The template, the SQLite-era names and anyone else's databases are never taken for a run's copy.
    for other in ("zt_tpl_province_63c585d5ab61", "zt_bench_registry", "bench_registry", "zhengtu_lead", "bench_x_1"):
        assert copy_owner_pid(other) is None


def test_a_template_is_rebuilt_when_too_old_or_undated() -> None:
    today = dt.date(2026, 12, 7)
    assert not template_too_old(dt.date(2026, 12, 1), today, 7)
    assert template_too_old(dt.date(2026, 11, 29), today, 7)
    assert template_too_old(None, today, 7)


def test_a_template_build_excludes_a_second_builder(tmp_path: Path) -> None:
    lock = tmp_path / "zt_tpl_province_x.lock"
    with file_lock(lock), open(lock) as other, pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(lock) as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once the build is done
