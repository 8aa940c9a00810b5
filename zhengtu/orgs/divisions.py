"""Administrative divisions (行政区划): the vendored data, loading it, and walking the tree.

Codes follow GB/T 2260: six digits for province (430000), prefecture (431200) and county
(431224); twelve digits for a township (431224100000). The data comes from the National Bureau
of Statistics' division codes as packaged by china-division (see data/china-division/SOURCE.md).
The level of a division is read from its code, so no extra column is needed.
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from .models import Division

DATA_DIR = Path(__file__).resolve().parent / "data" / "china-division"

# Rows that keep the tree regular in the statistical data but are not places in their own
# right; they are left out of full names (北京市东城区, not 北京市市辖区东城区).
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class DivisionLevel(enum.IntEnum):
    PROVINCE = 0
    PREFECTURE = 1
    COUNTY = 2
    TOWNSHIP = 3
    VILLAGE = 4


# Digits of a code that identify a division at each level ("43", "4312", "431224", ...).
SIGNIFICANT_DIGITS = {
    DivisionLevel.PROVINCE: 2,
    DivisionLevel.PREFECTURE: 4,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.TOWNSHIP: 9,
    DivisionLevel.VILLAGE: 12,
}


def is_division_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 12) and code.isascii()


def level_of(code: str) -> DivisionLevel:
    """The level a code names: 430000 → province, 431200 → prefecture, 431224100000 → township."""
    if not is_division_code(code):
        raise ValueError(f"Not an administrative division code: {code!r}")
    if len(code) == 12:
        if code[6:] == "000000":
            return level_of(code[:6])
        return DivisionLevel.TOWNSHIP if code[9:] == "000" else DivisionLevel.VILLAGE
    if code[2:] == "0000":
        return DivisionLevel.PROVINCE
    if code[4:] == "00":
        return DivisionLevel.PREFECTURE
    return DivisionLevel.COUNTY


def significant_prefix(code: str) -> str:
    return code[: SIGNIFICANT_DIGITS[level_of(code)]]


def lineage_codes(code: str) -> list[str]:
    """Codes of the division and its ancestors, province first (duplicates folded)."""
    level = level_of(code)
    codes = [code[:2] + "0000"]
    if level >= DivisionLevel.PREFECTURE:
        codes.append(code[:4] + "00")
    if level >= DivisionLevel.COUNTY:
        codes.append(code[:6])
    if level >= DivisionLevel.TOWNSHIP:
        codes.append(code[:9] + "000")
    if level >= DivisionLevel.VILLAGE:
        codes.append(code)
    return list(dict.fromkeys(codes))


@dataclass(frozen=True)
class DivisionRecord:
    code: str
    name: str
    parent_code: str | None


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def read_vendored_divisions(
    data_dir: Path = DATA_DIR,
    *,
    provinces: Collection[str] | None = None,
    depth: DivisionLevel = DivisionLevel.TOWNSHIP,
) -> list[DivisionRecord]:
    """Records from the vendored CSV files, parents before children.

    `provinces` limits the data to some provinces (two- or six-digit codes: "43" or "430000");
    `depth` stops at a level (COUNTY leaves out the 41,000 townships).
    """
    wanted = {p[:2] for p in provinces} if provinces else None

    def keep(code: str) -> bool:
        return wanted is None or code[:2] in wanted

    records: list[DivisionRecord] = []
    for row in _rows(data_dir / "provinces.csv"):
        if keep(row["code"]):
            records.append(DivisionRecord(row["code"] + "0000", row["name"].strip(), None))
    if depth >= DivisionLevel.PREFECTURE:
        prefectures: set[str] = set()
        for row in _rows(data_dir / "cities.csv"):
            if keep(row["code"]):
                code = row["code"] + "00"
                prefectures.add(code)
                records.append(DivisionRecord(code, row["name"].strip(), row["provinceCode"] + "0000"))
    if depth >= DivisionLevel.COUNTY:
        for row in _rows(data_dir / "areas.csv"):
            # A prefecture-level city without counties (东莞市) is listed again as its own county.
            if keep(row["code"]) and row["code"] not in prefectures:
                records.append(DivisionRecord(row["code"], row["name"].strip(), row["cityCode"] + "00"))
    if depth >= DivisionLevel.TOWNSHIP:
        for row in _rows(data_dir / "streets.csv"):
            # "350527000" (金门县) stands for a county without township data: not a township.
            if keep(row["code"]) and not row["code"].endswith("000"):
                records.append(DivisionRecord(row["code"] + "000", row["name"].strip(), row["areaCode"]))
    return records


def full_names(records: Iterable[DivisionRecord]) -> dict[str, str]:
    """湖南省怀化市溆浦县 for 431224: ancestors' names joined, placeholders and repeats left out."""
    by_code = {r.code: r for r in records}
    names: dict[str, str] = {}
    last_part: dict[str, str] = {}

    def resolve(code: str) -> tuple[str, str]:
        if code in names:
            return names[code], last_part[code]
        record = by_code[code]
        parent_name, parent_last = resolve(record.parent_code) if record.parent_code in by_code else ("", "")
        if record.name in PLACEHOLDER_NAMES or record.name == parent_last:
            names[code], last_part[code] = parent_name, parent_last
        else:
            names[code], last_part[code] = parent_name + record.name, record.name
        return names[code], last_part[code]

    for code in by_code:
        resolve(code)
    return {code: names[code] or by_code[code].name for code in by_code}


@dataclass(frozen=True)
class LoadResult:
    total: int
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_divisions(records: Iterable[DivisionRecord]) -> LoadResult:
    """Insert or update divisions in bulk; running it twice changes nothing the second time.

    Divisions that are no longer in the data are kept: records may still point at them.
    """
    records = list(records)
    full = full_names(records)
    existing = {code: (name, full_name, parent) for code, name, full_name, parent in Division.objects.values_list()}
    to_create: list[Division] = []
    to_update: list[Division] = []
    for record in sorted(records, key=lambda r: (level_of(r.code), r.code)):
        row = Division(code=record.code, name=record.name, full_name=full[record.code], parent_id=record.parent_code)
        current = existing.get(record.code)
        if current is None:
            to_create.append(row)
        elif current != (row.name, row.full_name, row.parent_id):
            to_update.append(row)
    Division.objects.bulk_create(to_create, batch_size=2000)
    Division.objects.bulk_update(to_update, ["name", "full_name", "parent"], batch_size=500)
    return LoadResult(
        total=len(records),
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(records) - len(to_create) - len(to_update),
    )


def children_of(code: str | None) -> QuerySet[Division]:
    """Divisions directly below `code`; the provinces for None."""
    if code is None:
        return Division.objects.filter(parent__isnull=True).order_by("code")
    return Division.objects.filter(parent_id=code).order_by("code")


def lineage(code: str) -> list[Division]:
    """The stored division and its stored ancestors, province first (one query)."""
    if not is_division_code(code):
        return []
    codes = lineage_codes(code)
    by_code = Division.objects.in_bulk(codes)
    return [by_code[c] for c in codes if c in by_code]


def divisions_loaded() -> bool:
    return Division.objects.filter(parent__isnull=True).exists()
