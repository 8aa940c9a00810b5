"""The figures equal counts made independently from the records, per office, and drill down to those records."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.command.figures import get_figure
from zhengtu.command.periods import parse_period
from zhengtu.command.tables import figure_table
from zhengtu.reintegration import services
from zhengtu.reintegration.models import Need, Outcome, Referral

from .conftest import Reint, need_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def records(reint: Reint) -> Reint:
    world = reint.world
    plan = [
        (world.officer_a, reint.person_a, "vocational_training", Outcome.TRAINED),
        (world.officer_a, reint.person_a, "employment_guidance", Outcome.EMPLOYED),
        (world.officer_a, reint.person_a, "social_assistance", Outcome.UNRESOLVED),
        (world.bureau_a, reint.person_a2, "employment_guidance", Outcome.EMPLOYED),
        (world.bureau_a, reint.person_a2, "schooling", ""),
        (world.officer_b, reint.person_b, "employment_guidance", Outcome.EMPLOYED),
    ]
    for user, person, kind, outcome in plan:
        need = need_for(user, person, kind=kind, days_ago=1)
        services.refer_need(
            actor=Actor(user=user), need=need, agency_kind="human_resources", agency_name="人社局", referred_on=TODAY
        )
        if outcome:
            notes = "本人外出" if outcome == Outcome.UNRESOLVED else ""
            services.record_outcome(actor=Actor(user=user), need=need, outcome=outcome, outcome_on=TODAY, notes=notes)
    return reint


def _table(user, key):  # type: ignore[no-untyped-def]
    figure = get_figure(key)
    assert figure is not None, key
    return figure_table(user, figure, parse_period("", today=TODAY), today=TODAY)


def test_each_figure_equals_an_independent_count_per_office(records: Reint) -> None:
    world = records.world
    county_a = {world.office_a.pk, world.office_a2.pk}
    needs = [n for n in Need.objects.select_related("supervisee") if n.supervisee.responsible_office_id in county_a]
    expected = {
        "reintegration.needs": Counter(n.kind for n in needs),
        "reintegration.referrals": Counter(
            r.agency_kind for r in Referral.objects.all() if r.need.supervisee.responsible_office_id in county_a
        ),
        "reintegration.outcomes": Counter(n.outcome for n in needs if n.outcome),
        "reintegration.placements": Counter(n.outcome for n in needs if n.outcome in ("employed", "trained")),
    }
    for key, counts in expected.items():
        table = _table(world.bureau_a, key)
        assert Counter({k: v for k, v in table.totals.items() if v}) == counts, key
    placements = _table(world.bureau_a, "reintegration.placements")
    by_office = {row.organisation.pk: row.total for row in placements.rows}
    assert by_office == {world.office_a.pk: 2, world.office_a2.pk: 1}
    # The other county sees only its own placement.
    assert _table(world.officer_b, "reintegration.placements").grand_total == 1


def test_a_figure_drills_down_to_its_records(records: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    world = records.world
    login(client, world.bureau_a)
    period = f"{TODAY:%Y-%m}"
    page = client.get(
        f"/command/statistics/records/?figure=reintegration.placements&period={period}"
        f"&organisation={world.office_a.pk}&value=employed"
    )
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert "王建华" in page.content.decode() and "赵国强" not in page.content.decode()
    client.logout()
    login(client, world.officer_b)
    refused = client.get(
        f"/command/statistics/records/?figure=reintegration.placements&period={period}&organisation={world.office_a.pk}"
    )
    assert refused.status_code == 404


def test_the_needs_figure_places_records_by_the_day_found(records: Reint) -> None:
    world = records.world
    last_year = parse_period(str(TODAY.year - 1), today=TODAY)
    assert last_year is not None
    table = figure_table(world.bureau_a, get_figure("reintegration.needs"), last_year, today=TODAY)  # type: ignore[arg-type]
    assert table.grand_total == 0
    assert Need.objects.filter(found_on__gte=TODAY - dt.timedelta(days=1)).count() == 6
