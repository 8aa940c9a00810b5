import pytest

from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.testing.factories import UserFactory


@pytest.fixture
def superuser(world):
    return UserFactory(is_superuser=True, is_staff=True, role="", organisation=None)


@pytest.mark.django_db
def test_the_system_admin_is_for_verified_superusers(client, world, login, superuser):
    login(client, superuser)
    assert client.get("/system-admin/").status_code == 200
    for model in ("orgs/organisation", "orgs/division", "accounts/user", "audit/auditentry", "api/apitoken"):
        assert client.get(f"/system-admin/{model}/").status_code == 200, model


@pytest.mark.django_db
def test_bureau_admins_are_refused_without_a_redirect_loop(client, world, login):
    login(client, world.bureau_a)
    response = client.get("/system-admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


@pytest.mark.django_db
def test_anonymous_visitors_go_through_the_two_factor_login(client):
    response = client.get("/system-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_unverified_superusers_must_enrol_first(client, superuser):
    client.force_login(superuser)
    response = client.get("/system-admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/enrol/")


@pytest.mark.django_db
def test_adding_an_organisation_in_the_admin_maintains_its_path(client, world, login, superuser):
    login(client, superuser)
    response = client.post(
        "/system-admin/orgs/organisation/add/",
        {"name": "龙潭司法所", "kind": OrganisationKind.JUSTICE_OFFICE, "parent": world.county_a.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organisation.objects.get(name="龙潭司法所")
    assert created.path == f"{world.county_a.path}{created.pk}/"
    assert UserFactory(organisation=created, role=Role.OFFICE_OFFICER).organisation.is_within(world.county_a)
