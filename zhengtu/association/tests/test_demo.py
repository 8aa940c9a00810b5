"""The demo data loads on a fresh tree, twice without duplicating, with seed 000's figures."""

from decimal import Decimal

import pytest
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.association import demo as association_demo
from zhengtu.association.models import Membership, Training
from zhengtu.association.selectors import membership_counts, trainings_managed_by, year_figures
from zhengtu.inspections import demo as inspection_demo
from zhengtu.inspections.models import InspectionRound, RectificationItem
from zhengtu.inspections.tasks import tasks_for
from zhengtu.testing.factories import UserFactory

from .builders import build_association_world

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_shaped_like_the_seed(world):
    aw = build_association_world(world)
    UserFactory(username="inspector_city", organisation=aw.association, role=Role.INSPECTOR)
    for _ in range(2):
        inspection_demo.seed(scale="county")
        association_demo.seed(scale="county")
    association = aw.association
    assert Training.objects.filter(association=association).count() == 9
    trainings = trainings_managed_by(aw.admin)
    year = timezone.localdate().year
    figures = year_figures(trainings.filter(starts_at__lte=timezone.now()), year)
    assert figures.sessions == 8 and figures.person_times == 346
    assert Decimal("97") <= figures.satisfaction.percent <= Decimal("100")
    assert membership_counts(Membership.objects.filter(association=association)) == {
        "units": 22,
        "individuals": 259,
        "applications": 3,
    }
    inspection_round = InspectionRound.objects.get(association=association)
    assert inspection_round.inspections.count() == 3  # the three projects of the area
    assert RectificationItem.objects.filter(inspection__round=inspection_round).exists()
    assert [t.kind for t in tasks_for(aw.manager_a)].count("rectification_due") >= 1
