"""The registry of statistical figures. Each figure is declared by the app that owns its records.

An app lists its figures in a function named on its AppConfig:

    class SupervisionConfig(AppConfig):
        statistics_sources = "zhengtu.supervision.statistics:sources"

`sources()` returns a list of `Figure`. A figure says how to read its records *for a user*
(always through the owning app's scoped selector), which date places a record in a period, which
office it belongs to, and how to break it down. Tables, dashboards, charts, the Excel export, the
API and the drill-down lists are all computed from that one description, so a figure on screen and
the list behind it cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import QuerySet

from zhengtu.workspace.registry import load_callable

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

FLOW = "flow"  # counted over a period by a date (intakes, sanctions, hours)
STOCK = "stock"  # counted on one day (in register, monitoring in force)


@dataclass(frozen=True)
class Figure:
    key: str  # "supervision.sanctions": app label, dot, name
    title: Any  # lazy translation
    section: Any  # the heading it is listed under in the periodic table
    records: Callable[[User], QuerySet[Any]]  # the records the user may see (a scoped selector)
    office: str  # lookup of the responsible organisation's id, e.g. "supervisee__responsible_office_id"
    kind: str = FLOW
    # FLOW: the lookup of a date field that places a record in a period. Records where it is empty
    # cannot be placed and are reported as left out, with `undated_reason`.
    date: str = ""
    undated_reason: Any = ""
    # STOCK: filters the records to those that count on a given day.
    on_day: Callable[[QuerySet[Any], dt.date], QuerySet[Any]] | None = None
    # Columns: a field and its choices ((value, label), ...); no breakdown → one "total" column.
    breakdown: str = ""
    choices: tuple[tuple[str, Any], ...] = ()
    # What is added up: None counts records; a field name sums it (hours).
    total_of: str | None = None
    unit: Any = ""
    # The supervisee a record is about (for the drill-down list and sealed-record exclusion).
    supervisee: str = "supervisee"
    # How a record is shown in the drill-down list: (label, link) of the record itself.
    describe: Callable[[Any], tuple[str, str]] | None = None
    select_related: tuple[str, ...] = ()
    note: Any = ""  # shown under the table: what the figure counts exactly
    # False for figures that only make sense today (what is overdue now): dashboards, not periodic tables.
    in_tables: bool = True


@dataclass(frozen=True)
class MissingFigure:
    """A figure the periodic table must show but this installation cannot compute yet (no records of that
    kind exist in any installed app). Listed with its reason instead of a made-up zero."""

    key: str
    title: Any
    section: Any
    reason: Any


@dataclass
class Registry:
    figures: dict[str, Figure] = field(default_factory=dict)
    missing: dict[str, MissingFigure] = field(default_factory=dict)


@cache
def registry() -> Registry:
    found = Registry()
    for config in apps.get_app_configs():
        dotted = getattr(config, "statistics_sources", None)
        if not dotted:
            continue
        for figure in load_callable(dotted)():
            if isinstance(figure, MissingFigure):
                found.missing.setdefault(figure.key, figure)
            else:
                found.figures[figure.key] = figure
    # A slot filled by an app's real figure is no longer missing.
    for key in list(found.missing):
        if key in found.figures:
            del found.missing[key]
    return found


def get_figure(key: str) -> Figure | None:
    return registry().figures.get(key)


def sealed_supervisees(user: User) -> set[int]:
    """Supervisee ids that statistics must not count for this user (sealed juvenile records, CPL art. 286).

    An app declares `statistics_exclusions = "module:function"` on its AppConfig; the function takes the
    user and returns the ids of supervisees to leave out (an iterable of ints, usually a values_list).
    Tables say how many records were left out for this reason, never who.
    """
    excluded: set[int] = set()
    for config in apps.get_app_configs():
        dotted = getattr(config, "statistics_exclusions", None)
        if dotted:
            excluded.update(load_callable(dotted)(user))
    return excluded
