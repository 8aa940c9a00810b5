"""Building a project like seed 003's from its data file: contract, lines, funds, targets,
spending, and ledger records that add up to given counts. Used by the demo and the tests;
everything goes through the real services (scope, rules, audit).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation

from . import services
from .models import BudgetLine, ServiceProject

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee

DATA_DIR = Path(__file__).resolve().parent / "demo_data"


def load(name: str = "xupu_2020") -> dict[str, Any]:
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def create_project(
    *,
    manager: Actor,
    buying_bureau: Organisation,
    agency: Organisation,
    data: dict[str, Any],
    name: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    staff: Sequence[tuple[User, str]] = (),
) -> ServiceProject:
    """The contract, its staff, budget lines, funds received and KPI targets (no records, no spending)."""
    facts = data["project"]
    start, end = period or (dt.date.fromisoformat(facts["period_start"]), dt.date.fromisoformat(facts["period_end"]))
    project = services.create_project(
        actor=manager,
        name=name or facts["name"],
        contract_number=facts["contract_number"],
        buying_bureau=buying_bureau,
        agency=agency,
        period_start=start,
        period_end=end,
        contract_amount=Decimal(facts["contract_amount"]),
        budget_amount=Decimal(facts["budget_amount"]),
        awarded_on=dt.date.fromisoformat(facts["awarded_on"]).replace(year=start.year - 1),
        description=facts["description"],
    )
    for user, role in staff:
        services.add_staff(actor=manager, project=project, user=user, role=role, joined_on=start)
    for position, (category, line_name, amount) in enumerate(data["budget_lines"]):
        services.save_budget_line(
            actor=manager, project=project, category=category, name=line_name, amount=Decimal(amount), position=position
        )
    for indicator, value in data["targets"].items():
        services.set_target(
            actor=manager, project=project, indicator=indicator, period_start=start, period_end=end, target_value=value
        )
    return project


def receive_funds(*, manager: Actor, project: ServiceProject, share: Decimal, on: dt.date) -> None:
    amount = (project.contract_amount * share).quantize(Decimal("0.01"), ROUND_DOWN)
    if amount > 0:
        services.record_fund_receipt(actor=manager, project=project, received_on=on, amount=amount, reference="拨付")


def book_spending(
    *,
    manager: Actor,
    project: ServiceProject,
    share: Decimal,
    last_day: dt.date,
    variation: random.Random | None = None,
) -> None:
    """Spend `share` of every budget line, in monthly instalments from the project start to `last_day`.

    With `variation`, each line runs ahead or behind the common pace (65–108 %, never past its amount) and the
    months differ, as real books do; without it every line and month is even (reproducible tests)."""
    months = _month_ends(project.period_start, min(last_day, project.period_end))
    for line in BudgetLine.objects.filter(project=project).order_by("pk"):
        line_share = share
        if variation is not None:
            line_share = min(Decimal(1), share * Decimal(str(round(variation.uniform(0.65, 1.08), 3))))
        total = (line.amount * line_share).quantize(Decimal("0.01"), ROUND_DOWN)
        if not months or total <= 0:
            continue
        weights = [Decimal(str(round(variation.uniform(0.5, 1.5), 2))) if variation else Decimal(1) for _ in months]
        booked = Decimal(0)
        for index, day in enumerate(months):
            if index < len(months) - 1:
                amount = (total * weights[index] / sum(weights)).quantize(Decimal("0.01"), ROUND_DOWN)
            else:
                amount = total - booked
            booked += amount
            if amount <= 0:
                continue
            services.record_spending(
                actor=manager, line=line, spent_on=day, amount=amount, description=f"{line.name}（{day:%Y-%m}）"
            )


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    month = first.replace(day=1)
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        days.append(min(following - dt.timedelta(days=1), last))
        month = following
    return days


@dataclass
class Caseload:
    """A social worker (the recorder) and the supervisees assigned to them."""

    actor: Actor
    people: list[Supervisee]


def _spread(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    span = (last - first).days
    return [first + dt.timedelta(days=(span * i) // max(count, 1)) for i in range(count)]


def _covering(people: Sequence[Supervisee], day: dt.date) -> list[Supervisee]:
    return [p for p in people if p.term_start <= day <= p.term_end]


def _rotation(caseloads: Sequence[Caseload]) -> Iterator[Caseload]:
    while True:
        yield from caseloads


def record_activity(
    *,
    project: ServiceProject,
    caseloads: Sequence[Caseload],
    counts: dict[str, int],
    first_day: dt.date,
    last_day: dt.date,
    data: dict[str, Any],
    rng: random.Random,
) -> None:
    """Ledger records whose indicator counts are exactly `counts` (as far as there are people for them)."""
    from zhengtu.services.models import ServiceKind, ServiceMode, VisitType
    from zhengtu.services.services import record_service

    topics = data["education_topics"]
    places = data["community_service_places"]
    workers = _rotation(caseloads)

    def sessions(kind: str, number: int, *, mode: str = ServiceMode.GROUP, hours: str, size: tuple[int, int]) -> None:
        for index, day in enumerate(_spread(first_day, last_day, number)):
            worker = next(workers)
            eligible = _covering(worker.people, day)
            if not eligible:
                continue
            group = rng.sample(eligible, min(len(eligible), rng.randint(*size)))
            record_service(
                actor=worker.actor,
                project=project,
                kind=kind,
                mode=mode,
                held_on=day,
                duration_hours=Decimal(hours),
                topic=topics[index % len(topics)] if kind != ServiceKind.COMMUNITY_SERVICE else "公益志愿服务",
                lecturer="社工" if kind == ServiceKind.EDUCATION else "",
                place=places[index % len(places)] if kind == ServiceKind.COMMUNITY_SERVICE else "县司法局教育中心",
                attendees=group,
            )

    def person_times(kind: str, number: int, topic: str, batch: int = 15) -> None:
        batches = [batch] * (number // batch) + ([number % batch] if number % batch else [])
        for size, day in zip(batches, _spread(first_day, last_day, len(batches)), strict=True):
            worker = next(workers)
            eligible = _covering(worker.people, day)
            if eligible:
                record_service(
                    actor=worker.actor,
                    project=project,
                    kind=kind,
                    held_on=day,
                    duration_hours=Decimal("1"),
                    topic=topic,
                    attendees=rng.sample(eligible, min(size, len(eligible))),
                )

    def distinct_people(kind: str, number: int, *, topic: str, visit_type: str = "", individual: bool = False) -> None:
        """`number` different people, each once: groups of up to ten (or one) on a day all of them cover."""
        size = 1 if individual else 10
        chunks: list[tuple[Caseload, list[Supervisee]]] = []
        for load in caseloads:
            people = sorted(load.people, key=lambda p: (p.term_start, p.pk))
            chunks.extend((load, people[i : i + size]) for i in range(0, len(people), size))
        remaining = number
        for index, (load, chunk) in enumerate(chunks):
            if remaining <= 0:
                break
            chunk = chunk[:remaining]
            earliest = max([first_day, *(p.term_start for p in chunk)])
            latest = min([last_day, *(p.term_end for p in chunk)])
            if latest < earliest:  # someone's term ended before another's began: visit one by one
                groups = [[p] for p in chunk if max(first_day, p.term_start) <= min(last_day, p.term_end)]
            else:
                groups = [chunk]
            for group in groups:
                start = max([first_day, *(p.term_start for p in group)])
                end = min([last_day, *(p.term_end for p in group)])
                day = start + dt.timedelta(days=((end - start).days * index) // max(len(chunks), 1))
                record_service(
                    actor=load.actor,
                    project=project,
                    kind=kind,
                    mode=ServiceMode.INDIVIDUAL if len(group) == 1 else ServiceMode.GROUP,
                    visit_type=visit_type,
                    held_on=day,
                    duration_hours=Decimal("1"),
                    topic=topic,
                    attendees=group,
                )
                remaining -= len(group)

    sessions(ServiceKind.EDUCATION, counts.get("education_sessions", 0), hours="2", size=(8, 15))
    sessions(ServiceKind.COMMUNITY_SERVICE, counts.get("community_service_sessions", 0), hours="3", size=(6, 12))
    sessions(ServiceKind.COUNSELLING, counts.get("group_counselling", 0), hours="1.5", size=(6, 8))
    person_times(ServiceKind.PSYCHOLOGICAL_TEST, counts.get("psychological_tests", 0), "SCL-90心理测量")
    person_times(ServiceKind.LOCATION_SERVICE, counts.get("location_installs", 0), "定位APP安装")
    distinct_people(
        ServiceKind.COUNSELLING, counts.get("individual_counselling", 0), topic="个案心理辅导", individual=True
    )
    for code, visit_type, topic in (
        ("routine_visits", VisitType.ROUTINE, "日常走访"),
        ("focus_visits", VisitType.FOCUS, "重点走访"),
        ("special_visits", VisitType.SPECIAL, "特殊走访"),
    ):
        distinct_people(ServiceKind.VISIT, counts.get(code, 0), topic=topic, visit_type=visit_type)
