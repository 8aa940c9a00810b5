"""Conflicts of interest keep an expert off a panel; availability keeps them out of random draws."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from zhengtu.audit.models import AuditEntry
from zhengtu.inspections.eligibility import conflict_reasons, eligibility_for
from zhengtu.inspections.models import PanelMember
from zhengtu.inspections.services import rounds as services

from .conftest import seat_panel

pytestmark = pytest.mark.django_db


def test_an_expert_working_for_the_agency_conflicts_with_its_projects_only(iw):
    aw = iw.aw
    assert conflict_reasons(iw.agency_insider, aw.project_a)
    assert conflict_reasons(iw.agency_insider, aw.project_city)  # same agency, bought by the city
    assert conflict_reasons(iw.agency_insider, aw.project_b) == []


def test_a_declared_conflict_with_a_bureau_covers_its_projects(iw):
    aw = iw.aw
    reasons = conflict_reasons(iw.county_b_conflict, aw.project_b)
    assert reasons and aw.base.county_b.name in reasons[0]
    assert conflict_reasons(iw.county_b_conflict, aw.project_a) == []


def test_an_inspector_account_in_the_agency_conflicts_too(iw):
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    from .conftest import add_expert

    staff = UserFactory(organisation=iw.aw.base.agency_a, role=Role.INSPECTOR)
    expert = add_expert(iw.aw, "机构账户专家", "law", user=staff)
    assert conflict_reasons(expert, iw.aw.project_a)


@override_settings(ZHENGTU_RULES={"inspection_one_panel_per_round": False})
def test_random_draws_never_seat_a_conflicted_or_unavailable_expert(iw):
    seen = set()
    for seed in range(25):
        panel = seat_panel(iw, f"第{seed}组", [], [iw.inspection_a])
        draw = services.draw_panel(actor=iw.aw.admin_actor, panel=panel, size=3, seed=seed)
        seen.update(draw.chosen_ids)
        assert iw.agency_insider.pk not in draw.chosen_ids
        assert iw.unavailable.pk not in draw.chosen_ids
        assert str(iw.agency_insider.pk) in draw.excluded
        panel.inspections.update(panel=None)
    eligible = {e.pk for e in iw.inspectors} | {iw.county_b_conflict.pk}
    assert seen == eligible  # every eligible expert gets drawn sometimes


def test_choosing_a_conflicted_expert_by_hand_is_refused(iw):
    panel = seat_panel(iw, "第一组", [iw.inspectors[0]], [iw.inspection_a])
    with pytest.raises(ValidationError) as error:
        services.add_panel_member(actor=iw.aw.admin_actor, panel=panel, expert=iw.agency_insider, reason="很熟悉情况")
    assert iw.aw.base.agency_a.name in str(error.value)
    assert not PanelMember.objects.filter(expert=iw.agency_insider).exists()


def test_a_panel_with_a_conflicted_member_cannot_take_the_project(iw):
    panel = seat_panel(iw, "第二组", [iw.agency_insider, iw.inspectors[1]], [iw.inspection_b])
    with pytest.raises(ValidationError) as error:
        services.assign_panel(actor=iw.aw.admin_actor, inspection=iw.inspection_a, panel=panel)
    assert iw.agency_insider.name in str(error.value)
    iw.inspection_a.refresh_from_db()
    assert iw.inspection_a.panel is None


def test_availability_can_be_overridden_by_hand_with_a_recorded_reason(iw):
    panel = seat_panel(iw, "第三组", [], [iw.inspection_b])
    with pytest.raises(ValidationError):
        services.add_panel_member(actor=iw.aw.admin_actor, panel=panel, expert=iw.unavailable, reason="  ")
    member = services.add_panel_member(
        actor=iw.aw.admin_actor, panel=panel, expert=iw.unavailable, reason="提前回国，本人同意参加"
    )
    assert member.selection == "chosen" and member.is_leader
    entry = AuditEntry.objects.filter(object_type="inspections.panel", object_id=str(panel.pk)).latest("sequence")
    assert entry.detail["overridden"] and entry.detail["reason"] == "提前回国，本人同意参加"


def test_one_panel_per_round_by_default(iw):
    seat_panel(iw, "第一组", [iw.inspectors[0]], [iw.inspection_a])
    second = seat_panel(iw, "第二组", [], [iw.inspection_b])
    eligibility = eligibility_for(second)
    assert iw.inspectors[0].pk in eligibility.excluded
