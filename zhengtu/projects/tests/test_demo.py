import datetime as dt

import pytest
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.projects import demo
from zhengtu.projects.models import ServiceProject
from zhengtu.projects.progress import project_progress
from zhengtu.services.models import ServiceRecord
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.testing.factories import UserFactory, make_supervisee


@pytest.mark.django_db
def test_the_demo_seeds_the_xupu_project_once(world):
    UserFactory(organisation=world.county_a, role=Role.BUREAU_ADMIN)
    for _ in range(12):
        person = make_supervisee(
            world.office_a, term_start=timezone.localdate() - dt.timedelta(days=400), term_months=36
        )
        Supervisee.objects.filter(pk=person.pk).update(status=Status.UNDER_SUPERVISION)
    demo.seed(scale="county")
    demo.seed(scale="county")
    project = ServiceProject.objects.get()
    assert project.agency == world.agency_a and project.budget_lines.count() == 8
    assert project.staff.filter(role="social_worker").count() == 6
    assert ServiceRecord.objects.filter(project=project).exists()
    assert {p.target.indicator for p in project_progress(project)} >= {"education_sessions", "routine_visits"}
    assert project.reports.get().narrative["other"] == "无"
