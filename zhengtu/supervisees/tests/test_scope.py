import pytest
from django.http import Http404

from zhengtu.supervisees.models import Assignment, AssignmentRole
from zhengtu.supervisees.selectors import get_supervisee_for_user, supervisees_visible_to
from zhengtu.testing.factories import make_supervisee


@pytest.mark.django_db
def test_officers_see_their_subtree_and_not_another_county(world):
    mine = make_supervisee(world.office_a, name="张三")
    theirs = make_supervisee(world.office_b, name="李四")
    assert list(supervisees_visible_to(world.officer_a)) == [mine]
    assert set(supervisees_visible_to(world.bureau_a)) == {mine}
    with pytest.raises(Http404):
        get_supervisee_for_user(world.officer_a, theirs.pk)


@pytest.mark.django_db
def test_social_worker_sees_only_assigned_supervisees(world):
    assigned = make_supervisee(world.office_a)
    make_supervisee(world.office_a)
    assert not supervisees_visible_to(world.social_worker_a).exists()
    Assignment.objects.create(supervisee=assigned, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER)
    assert list(supervisees_visible_to(world.social_worker_a)) == [assigned]


@pytest.mark.django_db
def test_registration_encrypts_identity_and_derives_pinyin(world):
    person = make_supervisee(world.office_a, name="张三")
    assert person.name_initials == "zs"
    assert person.identity_number_masked.startswith("4312") and "*" in person.identity_number_masked
    assert person.identity_number not in person.identity_number_encrypted


@pytest.mark.django_db
def test_command_centre_watches_the_bureau_it_serves(world):
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import OrganisationKind
    from zhengtu.testing.factories import UserFactory, make_org

    centre = make_org("溆浦县社区矫正指挥中心", OrganisationKind.COMMAND_CENTER, world.county_a)
    duty = UserFactory(organisation=centre, role=Role.COMMAND_CENTER)
    mine = make_supervisee(world.office_a2)
    make_supervisee(world.office_b)
    assert list(supervisees_visible_to(duty)) == [mine]
