"""What other apps' pages show: the supervisee page's panel, and the trainings and placements on the plan."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.reintegration import services
from zhengtu.reintegration.models import Outcome

from .conftest import Reint, need_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_correction_plan_shows_the_persons_trainings_and_placements(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    officer = reint.world.officer_a
    trained = need_for(officer, reint.person_a, kind="vocational_training")
    services.refer_need(
        actor=Actor(user=officer), need=trained, agency_kind="human_resources",
        agency_name="溆浦县人社局职业能力建设股", referred_on=TODAY,
    )  # fmt: skip
    services.record_outcome(actor=Actor(user=officer), need=trained, outcome=Outcome.TRAINED, outcome_on=TODAY)
    job = need_for(officer, reint.person_a, kind="employment_guidance")
    services.record_outcome(actor=Actor(user=officer), need=job, outcome=Outcome.EMPLOYED, outcome_on=TODAY)
    need_for(officer, reint.person_a, kind="social_assistance")  # not work: not on the plan
    need_for(reint.world.bureau_a, reint.person_a2, kind="vocational_training")  # someone else's
    login(client, officer)
    for url in (
        f"/supervision/supervisees/{reint.person_a.pk}/plan/",
        f"/supervision/supervisees/{reint.person_a.pk}/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert 'id="plan-placements"' in text, url
        assert "溆浦县人社局职业能力建设股" in text and "已参加职业技能培训" in text and "已就业" in text
        assert "2项培训或就业安置计入矫正方案" in text
        assert "社会救助" not in text.split('id="plan-placements"')[1].split("</table>")[0]


def test_the_supervisee_page_shows_the_needs_panel(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    need_for(reint.world.officer_a, reint.person_a, kind="schooling")
    login(client, reint.world.officer_a)
    text = client.get(f"/supervisees/{reint.person_a.pk}/").content.decode()
    assert 'id="reintegration-panel"' in text and "就学" in text and "待转介" in text


def test_the_panels_are_absent_for_roles_without_the_capability(reint: Reint, client, login) -> None:  # type: ignore[no-untyped-def]
    from zhengtu.accounts.models import User
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    need_for(reint.world.officer_a, reint.person_a)
    command: User = UserFactory(organisation=reint.world.county_a, role=Role.COMMAND_CENTER)
    login(client, command)
    text = client.get(f"/supervisees/{reint.person_a.pk}/").content.decode()
    assert 'id="reintegration-panel"' not in text
