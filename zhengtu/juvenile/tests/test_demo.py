"""The juvenile and volunteer demo data load on a fresh tree, twice without duplicating."""

from __future__ import annotations

from zhengtu.juvenile import demo as juvenile_demo
from zhengtu.juvenile.models import InvestigationStatus, JuvenileCase, ServiceType, SocialInvestigation
from zhengtu.juvenile.selectors import case_counts_for, cases_visible_to
from zhengtu.volunteers import demo as volunteer_demo
from zhengtu.volunteers.models import Studio, Volunteer, VolunteerHours

from .conftest import Juvenile


def test_demo_cases_volunteers_and_studio(juv: Juvenile) -> None:
    for user, username in (
        (juv.prosecutor_a, "prosecutor_xupu"),
        (juv.worker, "sw_xupu"),
        (juv.manager, "manager_xupu"),
    ):
        user.username = username
        user.save(update_fields=["username"])
    for _ in range(2):
        juvenile_demo.seed(scale="county")
        volunteer_demo.seed(scale="county")
    assert JuvenileCase.objects.count() == 7
    assert set(JuvenileCase.objects.values_list("service_type", flat=True)) == set(ServiceType.values)
    assert JuvenileCase.objects.filter(sealed_at__isnull=False).count() == 1
    assert SocialInvestigation.objects.get().status == InvestigationStatus.SENT
    # The prosecutor sees their referrals; the sealed one is not counted, and a colleague does not see it at all.
    assert case_counts_for(juv.prosecutor_a)["total"] == 6
    assert cases_visible_to(juv.colleague).count() == 6
    assert Volunteer.objects.count() == 6 and VolunteerHours.objects.exists()
    assert Studio.objects.get().members.count() == 4
