"""Each expert scores on their own; the panel score is their mean, with the spread and a disagreement flag."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from zhengtu.inspections.models import IndicatorScore, Scoresheet
from zhengtu.inspections.scoring import combine, panel_score
from zhengtu.inspections.services import rounds as round_services
from zhengtu.inspections.services.scoresheets import indicators_of, save_scoresheet

from .conftest import score_total, seat_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(iw):
    seat_panel(iw, "第一组", iw.inspectors, [iw.inspection_a])
    iw.inspection_b.delete()
    iw.inspection_city.delete()
    round_services.start_round(actor=iw.aw.admin_actor, inspection_round=iw.round)
    iw.inspection_a.refresh_from_db()
    return iw


def test_combine_gives_mean_range_and_standard_deviation():
    mean, spread, stdev = combine([Decimal("80"), Decimal("90"), Decimal("70")])
    assert (mean, spread, stdev) == (Decimal("80.00"), Decimal("20.00"), Decimal("8.16"))
    assert combine([]) == (None, None, None)


def test_panel_score_is_the_mean_and_a_large_spread_is_flagged(scoring):
    iw = scoring
    for expert, total in zip(iw.inspectors, ["88", "72", "80.5"], strict=True):
        score_total(iw, iw.inspection_a, expert, total)
    score = panel_score(iw.inspection_a)
    assert [t.total for t in score.totals] == [Decimal("88.00"), Decimal("72.00"), Decimal("80.50")]
    assert score.mean == Decimal("80.17")
    assert score.spread == Decimal("16.00") and score.threshold == Decimal("15")
    assert score.flagged


def test_a_spread_within_the_threshold_is_not_flagged(scoring):
    iw = scoring
    for expert, total in zip(iw.inspectors, ["85", "78", "92"], strict=True):
        score_total(iw, iw.inspection_a, expert, total)
    score = panel_score(iw.inspection_a)
    assert score.spread == Decimal("14.00") and not score.flagged


@override_settings(ZHENGTU_RULES={"inspection_spread_measure": "stdev", "inspection_disagreement_points": 5})
def test_the_spread_can_be_the_standard_deviation(scoring):
    iw = scoring
    for expert, total in zip(iw.inspectors, ["80", "90", "70"], strict=True):
        score_total(iw, iw.inspection_a, expert, total)
    score = panel_score(iw.inspection_a)
    assert score.spread == Decimal("8.16") and score.flagged


def test_drafts_do_not_count_and_sections_show_means(scoring):
    iw = scoring
    score_total(iw, iw.inspection_a, iw.inspectors[0], "100")
    score_total(iw, iw.inspection_a, iw.inspectors[1], "90")
    score_total(iw, iw.inspection_a, iw.inspectors[2], "10", submit=False)
    score = panel_score(iw.inspection_a)
    assert score.count == 2 and score.mean == Decimal("95.00")
    # the 10 points deducted come from the heaviest indicator (12 points, in the third section)
    by_title = {s.section.title: (s.weight, s.mean_points) for s in score.sections}
    assert by_title["专业服务产出及成效"] == (Decimal("35.0"), Decimal("30.00"))
    assert by_title["团队建设"] == (Decimal("20.0"), Decimal("20.00"))


def test_submitting_needs_every_indicator_and_points_within_the_weight(scoring):
    iw = scoring
    indicators = indicators_of(iw.inspection_a)
    expert = iw.inspectors[0]
    partial = {indicators[0].pk: Decimal("3")}
    with pytest.raises(ValidationError) as error:
        save_scoresheet(actor=iw.aw.admin_actor, inspection=iw.inspection_a, expert=expert, points=partial, submit=True)
    assert len(error.value.message_dict) == len(indicators) - 1
    too_many = {indicators[0].pk: indicators[0].weight + 1, indicators[1].pk: Decimal("1.3")}
    with pytest.raises(ValidationError) as error:
        save_scoresheet(actor=iw.aw.admin_actor, inspection=iw.inspection_a, expert=expert, points=too_many)
    assert set(error.value.message_dict) == {f"indicator_{indicators[0].pk}", f"indicator_{indicators[1].pk}"}
    assert not Scoresheet.objects.exists() and not IndicatorScore.objects.exists()
    sheet = save_scoresheet(actor=iw.aw.admin_actor, inspection=iw.inspection_a, expert=expert, points=partial)
    assert sheet.submitted_at is None and sheet.scores.count() == 1


def test_a_submitted_sheet_is_final_until_the_association_gives_it_back(scoring):
    iw = scoring
    from zhengtu.inspections.services.scoresheets import reopen_scoresheet

    sheet = score_total(iw, iw.inspection_a, iw.inspectors[0], "90")
    with pytest.raises(ValidationError):
        score_total(iw, iw.inspection_a, iw.inspectors[0], "60")
    reopen_scoresheet(actor=iw.aw.admin_actor, scoresheet=sheet, reason="请复核第三部分")
    score_total(iw, iw.inspection_a, iw.inspectors[0], "85")
    assert panel_score(iw.inspection_a).mean == Decimal("85.00")
    assert iw.inspectors[0].user.notifications.filter(kind="scoresheet_reopened").exists()


def test_only_panel_members_score_and_only_while_the_round_runs(scoring, iw):
    with pytest.raises(ValidationError):
        score_total(iw, iw.inspection_a, iw.county_b_conflict, "90")
    score_total(iw, iw.inspection_a, iw.inspectors[0], "90")
    round_services.finalise_inspection(actor=iw.aw.admin_actor, inspection=iw.inspection_a)
    with pytest.raises(ValidationError):
        score_total(iw, iw.inspection_a, iw.inspectors[1], "90")


def test_finalising_needs_a_submitted_sheet_and_tells_the_agency(scoring, iw):
    with pytest.raises(ValidationError):
        round_services.finalise_inspection(actor=iw.aw.admin_actor, inspection=iw.inspection_a)
    score_total(iw, iw.inspection_a, iw.inspectors[0], "90")
    round_services.finalise_inspection(actor=iw.aw.admin_actor, inspection=iw.inspection_a)
    assert iw.aw.manager_a.notifications.filter(kind="inspection_finalised").exists()
    assert not iw.aw.manager_b.notifications.exists()
    round_services.complete_round(actor=iw.aw.admin_actor, inspection_round=iw.round)
    with pytest.raises(ValidationError):
        round_services.create_panel(actor=iw.aw.admin_actor, inspection_round=iw.round, name="迟到的组")
