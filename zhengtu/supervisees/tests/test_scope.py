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


@pytest.mark.django_db
def test_small_and_large_scopes_see_exactly_their_subtree(world):
    """A scope holding a large share of the tree is read through a join, a small one through a list of
    offices (LARGE_SCOPE_SHARE): both must give exactly the subtree, plus what is assigned to the user."""
    from zhengtu.accounts.roles import Role
    from zhengtu.orgs.models import Organisation, OrganisationKind
    from zhengtu.supervisees import selectors
    from zhengtu.testing.factories import UserFactory, make_org

    city = world.city
    other_city = make_org("邵阳市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    other_county = make_org("新邵县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, other_city)
    elsewhere = make_supervisee(make_org("城西司法所", OrganisationKind.JUSTICE_OFFICE, other_county))
    city_admin = UserFactory(organisation=city, role=Role.BUREAU_ADMIN)
    extra_offices = [make_org(f"第{n}司法所", OrganisationKind.JUSTICE_OFFICE, world.county_b) for n in range(12)]
    mine = {make_supervisee(world.office_a), make_supervisee(world.office_a2)}
    theirs = {make_supervisee(world.office_b), make_supervisee(extra_offices[3])}
    everyone = Organisation.objects.count()
    inside_a = Organisation.objects.filter(path__startswith=world.county_a.path).count()
    inside_city = Organisation.objects.filter(path__startswith=city.path).count()
    assert inside_a < selectors.LARGE_SCOPE_SHARE * everyone <= inside_city  # one of each kind

    assert set(supervisees_visible_to(world.bureau_a)) == mine
    assert set(supervisees_visible_to(city_admin)) == mine | theirs
    assert elsewhere not in set(supervisees_visible_to(city_admin))
    borrowed = next(iter(theirs))
    Assignment.objects.create(supervisee=borrowed, user=world.bureau_a, role=AssignmentRole.SOCIAL_WORKER)
    assert set(supervisees_visible_to(world.bureau_a)) == mine | {borrowed}


@pytest.mark.django_db
def test_the_planner_statistics_are_refreshed_on_sqlite(world):
    from django.db import connection

    from zhengtu.core.database import refresh_planner_statistics

    make_supervisee(world.office_a)
    ran = refresh_planner_statistics()
    assert ran == (connection.vendor == "sqlite")
    if ran:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'supervisees_supervisee'")
            assert cursor.fetchone()[0] > 0
