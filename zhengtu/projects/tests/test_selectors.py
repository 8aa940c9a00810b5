import pytest
from django.http import Http404

from zhengtu.accounts.roles import Role
from zhengtu.projects.selectors import get_project_for_user, projects_open_for_recording, projects_visible_to
from zhengtu.testing.factories import UserFactory


@pytest.mark.django_db
def test_who_sees_a_project(pw, world):
    visible = [
        pw.bureau,  # the buying bureau
        world.officer_a,  # a justice office below it
        UserFactory(organisation=world.city, role=Role.BUREAU_ADMIN),  # the city above it
        pw.manager,  # the agency's manager
        pw.worker,  # the agency's social worker
        pw.supervisor,  # listed as staff, from another organisation
        UserFactory(is_superuser=True),
    ]
    hidden = [
        pw.outsider,  # another county
        world.officer_b,
        pw.other_agency_manager,  # another agency under the same bureau
        UserFactory(organisation=world.office_a, role=Role.SUPERVISEE),
        UserFactory(organisation=None, role=Role.OFFICE_OFFICER),
    ]
    for user in visible:
        assert list(projects_visible_to(user)) == [pw.project], user
    for user in hidden:
        assert not projects_visible_to(user).exists(), user
        with pytest.raises(Http404):
            get_project_for_user(user, pw.project.pk)


@pytest.mark.django_db
def test_only_the_agencys_staff_record_services_in_it(pw, world):
    assert list(projects_open_for_recording(pw.worker)) == [pw.project]
    assert list(projects_open_for_recording(pw.supervisor)) == [pw.project]
    assert not projects_open_for_recording(world.officer_a).exists()  # sees it, but is not its staff
    assert not projects_open_for_recording(pw.bureau).exists()
