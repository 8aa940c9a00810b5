"""Home dashboards per role: the figures each person acts on, in their scope, each linking to its records.

Figures come from the statistics registry (the same counts as the periodic tables, counted today), so
a number on the home page and the list behind it cannot disagree. Each dashboard is cached per scope
for `ZHENGTU_COMMAND["DASHBOARD_CACHE_SECONDS"]` (the page says how fresh its figures are).
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, DashboardKind, can, dashboard_of, has_personal_scope
from zhengtu.monitoring.selectors import can_see_locations
from zhengtu.supervisees.models import SentenceType, Status, SupervisionLevel

from .figures import Figure, get_figure, registry
from .periods import MONTH, period_containing
from .rules import rule
from .statistics import drill_url
from .tables import OFFICE, FigureTable, figure_table, people_counts

LAGGING_OFFICES = 10


@dataclass
class Tile:
    label: str
    value: int | Decimal | str | None
    url: str = ""
    tone: str = ""  # "bad" draws attention
    note: str = ""


@dataclass
class Panel:
    title: str
    tiles: list[Tile] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # cells of (text, url)
    note: str = ""


@dataclass
class Dashboard:
    title: str
    panels: list[Panel]
    computed_at: dt.datetime
    links: list[tuple[str, str]] = field(default_factory=list)


def _registry_url(**params: str) -> str:
    return reverse("supervisees:list") + "?" + urlencode(params)


def _people_panel(user: User) -> Panel:
    """People by status and level, straight from the registry, linking to the filtered registry list."""
    counts: dict[tuple[str, str], int] = {}
    for row in people_counts(user, ("status", "supervision_level")):
        counts[(row["status"], row["supervision_level"])] = row["n"]
    panel = Panel(_("My people"))
    for status, label in (
        (Status.UNDER_SUPERVISION, _("Under supervision")),
        (Status.PENDING_INTAKE, _("Pending intake")),
    ):
        total = sum(n for (s, _level), n in counts.items() if s == status)
        panel.tiles.append(Tile(str(label), total, _registry_url(status=status)))
    for level, level_label in SupervisionLevel.choices:
        n = counts.get((Status.UNDER_SUPERVISION, level), 0)
        panel.tiles.append(
            Tile(
                str(level_label),
                n,
                _registry_url(status=Status.UNDER_SUPERVISION, supervision_level=level),
                tone="bad" if level == SupervisionLevel.STRICT and n else "",
            )
        )
    return panel


_built: ContextVar[dict[str, FigureTable] | None] = ContextVar("dashboard_tables", default=None)


def _today_table(user: User, figure: Figure, today: dt.date) -> FigureTable:
    """A figure counted today by office; computed once per dashboard even when two panels show it."""
    memo = _built.get()
    if memo is not None and figure.key in memo:
        return memo[figure.key]
    table = figure_table(user, figure, period_containing(MONTH, today), grouping=OFFICE, today=today)
    if memo is not None:
        memo[figure.key] = table
    return table


def _figure_tile(user: User, key: str, label: str, *, today: dt.date, tone_if_any: str = "") -> Tile | None:
    figure = get_figure(key)
    if figure is None:
        missing = registry().missing.get(key)
        return Tile(label, None, note=str(missing.reason)) if missing else None
    period = period_containing(MONTH, today)
    table = _today_table(user, figure, today)
    total = table.grand_total
    return Tile(label, total, drill_url(figure, period), tone=tone_if_any if total else "")


def _duties_panel(user: User, today: dt.date) -> Panel:
    panel = Panel(_("This week"))
    for key, label, tone in (
        ("supervision.overdue", _("Overdue"), "bad"),
        ("supervision.due_this_week", _("Due in the next seven days"), ""),
        ("supervision.flagged_app_check_ins", _("Flagged app check-ins"), "bad"),
    ):
        tile = _figure_tile(user, key, label, today=today, tone_if_any=tone)
        if tile is not None:
            panel.tiles.append(tile)
    if can_see_locations(user):
        tile = _figure_tile(user, "monitoring.open_alerts", _("Open alerts"), today=today, tone_if_any="bad")
        if tile is not None:
            tile.url = reverse("monitoring:alerts")
            panel.tiles.append(tile)
    return panel


def _lagging_panel(user: User, today: dt.date) -> Panel | None:
    """Offices ranked by overdue duties per person under supervision: the ones that lag first."""
    register = get_figure("registry.in_register_by_level")
    overdue = get_figure("supervision.overdue")
    if register is None or overdue is None:
        return None
    period = period_containing(MONTH, today)
    people = {row.organisation.pk: (row.organisation, row.total) for row in _today_table(user, register, today).rows}
    late = {row.organisation.pk: row.total for row in _today_table(user, overdue, today).rows}
    if len(people) < 2:
        return None
    ranked = sorted(people.values(), key=lambda item: -(late.get(item[0].pk, 0) / item[1] if item[1] else 0))
    panel = Panel(
        _("Offices that lag"), headers=[_("Justice office"), _("In register"), _("Overdue duties"), _("Per person")]
    )
    for org, count in ranked[:LAGGING_OFFICES]:
        behind = late.get(org.pk, 0)
        rate = f"{behind / count:.2f}" if count else "—"
        panel.rows.append(
            [
                (org.name, ""),
                (str(count), drill_url(register, period, organisation_id=org.pk)),
                (str(behind), drill_url(overdue, period, organisation_id=org.pk)),
                (rate, ""),
            ]
        )
    panel.note = _("Ranked by overdue duties per person under supervision.")
    return panel


def _types_panel(user: User, today: dt.date) -> Panel | None:
    figure = get_figure("registry.in_register_by_type")
    if figure is None:
        return None
    period = period_containing(MONTH, today)
    table = _today_table(user, figure, today)
    totals = table.totals
    panel = Panel(_("In register by sentence type"))
    for value, label in SentenceType.choices:
        panel.tiles.append(Tile(str(label), totals.get(value, 0), drill_url(figure, period, value=value)))
    return panel


def _projects_panel(user: User, today: dt.date) -> Panel:
    from zhengtu.projects.progress import overview
    from zhengtu.projects.selectors import projects_visible_to

    panel = Panel(
        _("Projects: targets against elapsed time, budget burn"),
        headers=[_("Project"), _("Time elapsed"), _("Targets completed"), _("Behind"), _("Budget spent")],
    )
    for summary in overview(projects_visible_to(user).order_by("-period_end")[:20], as_of=today):
        url = reverse("projects:detail", args=[summary.project.pk])
        completion = summary.mean_completion
        burn = summary.burn
        panel.rows.append(
            [
                (summary.project.name, url),
                (f"{summary.elapsed * 100:.0f}%", ""),
                (
                    f"{completion * 100:.0f}%" if completion is not None else "—",
                    reverse("projects:targets", args=[summary.project.pk]),
                ),
                (str(summary.behind), reverse("projects:targets", args=[summary.project.pk])),
                (
                    f"{burn * 100:.0f}%" if burn is not None else "—",
                    reverse("projects:budget", args=[summary.project.pk]),
                ),
            ]
        )
    if not panel.rows:
        panel.note = _("No project in your scope.")
    return panel


def _association_panel(user: User, today: dt.date) -> Panel:
    from zhengtu.association.models import FilingStatus
    from zhengtu.association.selectors import filings_visible_to, trainings_visible_to
    from zhengtu.inspections.models import RoundStatus
    from zhengtu.inspections.selectors import rounds_visible_to, scoresheets_to_fill

    panel = Panel(_("Inspections, trainings and filings"))
    rounds = rounds_visible_to(user)
    panel.tiles.append(
        Tile(
            _("Inspection rounds open"),
            rounds.exclude(status=RoundStatus.COMPLETED).count(),
            reverse("inspections:round-list"),
        )
    )
    panel.tiles.append(
        Tile(
            _("Score sheets to fill"), scoresheets_to_fill(user).count(), reverse("inspections:round-list"), tone="bad"
        )
    )
    trainings = trainings_visible_to(user).filter(is_cancelled=False)
    start_of_year = dt.datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
    panel.tiles.append(
        Tile(
            _("Trainings this year"),
            trainings.filter(starts_at__gte=start_of_year).count(),
            reverse("association:training-list"),
        )
    )
    panel.tiles.append(
        Tile(
            _("Trainings to come"),
            trainings.filter(starts_at__gte=timezone.now()).count(),
            reverse("association:training-list"),
        )
    )
    filings = filings_visible_to(user)
    panel.tiles.append(
        Tile(
            _("Filings awaiting review"),
            filings.filter(status=FilingStatus.SUBMITTED).count(),
            reverse("association:filing-list"),
            tone="bad",
        )
    )
    panel.tiles.append(
        Tile(
            _("Supervisors filed"),
            filings.filter(status=FilingStatus.APPROVED).count(),
            reverse("association:filing-list"),
        )
    )
    return panel


def build_dashboard(user: User, *, today: dt.date) -> Dashboard | None:
    token = _built.set({})
    try:
        return _build(user, today=today)
    finally:
        _built.reset(token)


def _build(user: User, *, today: dt.date) -> Dashboard | None:
    kind = dashboard_of(user)
    panels: list[Panel] = []
    links: list[tuple[str, str]] = []
    if kind == DashboardKind.CASELOAD:
        panels = [_people_panel(user), _duties_panel(user, today)]
    elif kind == DashboardKind.OVERVIEW:
        panels = [_people_panel(user), _duties_panel(user, today)]
        for extra in (_types_panel(user, today), _lagging_panel(user, today)):
            if extra is not None:
                panels.append(extra)
        if can(user, Capability.MONITOR):
            links.append((_("Command wall"), reverse("command:wall")))
    elif kind == DashboardKind.PROJECTS:
        panels = [_projects_panel(user, today), _people_panel(user)]
    elif kind == DashboardKind.ASSOCIATION:
        panels = [_association_panel(user, today)]
    else:
        return None
    if can(user, Capability.VIEW_STATISTICS):
        links.append((_("Statistics"), reverse("command:statistics")))
    return Dashboard(_("Today"), panels, timezone.now(), links)


def dashboard_for(user: User, *, today: dt.date | None = None) -> Dashboard | None:
    """The user's dashboard, cached per scope (same organisation, role and language → same figures)."""
    today = today or timezone.localdate()
    seconds = int(rule("DASHBOARD_CACHE_SECONDS"))
    if seconds <= 0 or user.is_superuser:
        return build_dashboard(user, today=today)
    key = f"command:dashboard:{user.role}:{user.organisation_id}:{today.isoformat()}:{get_language()}"
    if has_personal_scope(user):
        key += f":{user.pk}"  # their scope includes people and projects assigned to them personally
    found: Dashboard | None = cache.get(key)
    if found is None:
        found = build_dashboard(user, today=today)
        cache.set(key, found, seconds)
    return found


def home_dashboard(request: HttpRequest) -> SafeString | None:
    """The workspace home's hook (CommandConfig.home_dashboard)."""
    user: Any = request.user
    dashboard = dashboard_for(user)
    if dashboard is None:
        return None
    return SafeString(
        render_to_string(
            "command/_dashboard.html",
            {"dashboard": dashboard, "cache_seconds": rule("DASHBOARD_CACHE_SECONDS")},
            request=request,
        )
    )
