"""Random draws are reproducible from their recorded seed and respect required specialties."""

import pytest
from django.core.exceptions import ValidationError

from zhengtu.inspections.models import PanelDraw, Specialty
from zhengtu.inspections.services import rounds as services

from .conftest import seat_panel

pytestmark = pytest.mark.django_db


def test_a_recorded_draw_replays_to_the_same_experts(iw):
    panel = seat_panel(iw, "第一组", [], [iw.inspection_b])
    draw = services.draw_panel(actor=iw.aw.admin_actor, panel=panel, size=3)
    assert draw.seed is not None
    assert services.replay_draw(draw) == draw.chosen_ids
    assert sorted(panel.members.values_list("expert_id", flat=True)) == sorted(draw.chosen_ids)
    assert panel.members.filter(is_leader=True).count() == 1


def test_the_same_seed_over_the_same_pool_draws_the_same_panel(iw):
    first = seat_panel(iw, "甲组", [], [iw.inspection_b])
    draw = services.draw_panel(actor=iw.aw.admin_actor, panel=first, size=2, seed=20260601)
    chosen = list(draw.chosen_ids)
    first.members.all().delete()
    again = services.draw_panel(actor=iw.aw.admin_actor, panel=first, size=2, seed=20260601)
    assert again.chosen_ids == chosen


def test_required_specialties_come_first(iw):
    finance = next(e for e in iw.inspectors if e.specialty == Specialty.FINANCE)
    for seed in range(10):
        panel = seat_panel(iw, f"组{seed}", [], [])
        draw = services.draw_panel(
            actor=iw.aw.admin_actor, panel=panel, size=1, required_specialties=[Specialty.FINANCE], seed=seed
        )
        assert draw.chosen_ids == [finance.pk]
        panel.members.all().delete()


def test_too_few_eligible_experts_draws_nobody(iw):
    panel = seat_panel(iw, "大组", [], [iw.inspection_a])
    with pytest.raises(ValidationError) as error:
        services.draw_panel(actor=iw.aw.admin_actor, panel=panel, size=6)
    assert "4" in str(error.value)  # four experts are eligible for project A
    assert not panel.members.exists() and not PanelDraw.objects.exists()


def test_a_missing_specialty_is_named(iw):
    panel = seat_panel(iw, "组", [], [])
    with pytest.raises(ValidationError):
        services.draw_panel(actor=iw.aw.admin_actor, panel=panel, size=2, required_specialties=[Specialty.PSYCHOLOGY])
