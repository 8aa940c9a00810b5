import pytest
from django.urls import reverse

from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import Division, Organisation, OrganisationKind
from zhengtu.testing.factories import UserFactory


@pytest.fixture
def bureau_b(world):
    return UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)


def form_data(**overrides):
    data = {
        "name": "龙潭司法所",
        "kind": OrganisationKind.JUSTICE_OFFICE,
        "address": "",
        "phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_tree_shows_the_managers_subtree_only(client, world, login):
    login(client, world.bureau_a)
    response = client.get(reverse("orgs:tree"))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.county_a.name in html and world.office_a.name in html and world.agency_a.name in html
    assert world.county_b.name not in html and world.office_b.name not in html and world.city.name not in html
    depths = {row.organisation.pk: row.depth for row in response.context["rows"]}
    assert depths[world.county_a.pk] == 0 and depths[world.office_a.pk] == 1


@pytest.mark.django_db
def test_officers_are_refused(client, world, login):
    login(client, world.officer_a)
    assert client.get(reverse("orgs:tree")).status_code == 403
    assert client.get(reverse("orgs:detail", args=[world.office_a.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name, method", [("orgs:detail", "get"), ("orgs:edit", "get"), ("orgs:edit", "post")])
def test_outsider_bureau_gets_404_for_another_countys_organisation(client, world, login, bureau_b, name, method):
    login(client, bureau_b)
    response = getattr(client, method)(reverse(name, args=[world.office_a.pk]), form_data(name="改名"))
    assert response.status_code == 404
    world.office_a.refresh_from_db()
    assert world.office_a.name == "卢峰司法所"


@pytest.mark.django_db
def test_creating_an_office_under_the_county(client, world, login):
    login(client, world.bureau_a)
    page = client.get(reverse("orgs:create"), {"parent": world.county_a.pk})
    assert page.status_code == 200
    response = client.post(reverse("orgs:create"), form_data(parent=world.county_a.pk))
    office = Organisation.objects.get(name="龙潭司法所")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:detail", args=[office.pk])
    assert office.parent == world.county_a and office.path.startswith(world.county_a.path)


@pytest.mark.django_db
def test_a_parent_outside_the_subtree_cannot_be_chosen(client, world, login):
    login(client, world.bureau_a)
    response = client.post(reverse("orgs:create"), form_data(parent=world.county_b.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Organisation.objects.filter(name="龙潭司法所").exists()


@pytest.mark.django_db
def test_a_wrong_place_in_the_tree_gets_a_chinese_message_and_keeps_the_input(client, world, login):
    login(client, world.bureau_a)
    response = client.post(reverse("orgs:create"), form_data(parent=world.office_a.pk, address="溆浦县龙潭镇"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "这类机构不能放在机构树的这个位置" in html
    assert "溆浦县龙潭镇" in html
    assert not Organisation.objects.filter(name="龙潭司法所").exists()


@pytest.mark.django_db
def test_division_codes_are_checked(client, world, login):
    Division.objects.create(code="431224", name="溆浦县")
    login(client, world.bureau_a)
    bad = client.post(reverse("orgs:create"), form_data(parent=world.county_a.pk, division="999999"))
    assert "找不到代码为 999999 的行政区划" in bad.content.decode()
    short = client.post(reverse("orgs:create"), form_data(parent=world.county_a.pk, division="4312"))
    assert "行政区划代码应为6位或12位数字" in short.content.decode()
    good = client.post(reverse("orgs:create"), form_data(parent=world.county_a.pk, division="431224"))
    assert good.status_code == 302
    assert Organisation.objects.get(name="龙潭司法所").division_id == "431224"


@pytest.mark.django_db
def test_editing_and_moving_inside_the_subtree(client, world, login):
    city_admin = UserFactory(organisation=world.city, role=Role.BUREAU_ADMIN)
    login(client, city_admin)
    response = client.post(
        reverse("orgs:edit", args=[world.office_a2.pk]),
        form_data(name="桥江镇司法所", parent=world.county_b.pk, phone="0745-3333333"),
    )
    assert response.status_code == 302
    world.office_a2.refresh_from_db()
    assert world.office_a2.name == "桥江镇司法所" and world.office_a2.parent == world.county_b
    assert world.office_a2.path == f"{world.county_b.path}{world.office_a2.pk}/"


@pytest.mark.django_db
def test_a_manager_edits_but_does_not_move_their_own_organisation(client, world, login):
    login(client, world.bureau_a)
    page = client.get(reverse("orgs:edit", args=[world.county_a.pk]))
    assert "parent" not in page.context["form"].fields
    response = client.post(
        reverse("orgs:edit", args=[world.county_a.pk]),
        form_data(name=world.county_a.name, kind=OrganisationKind.COUNTY_BUREAU, phone="0745-1111111"),
    )
    assert response.status_code == 302
    world.county_a.refresh_from_db()
    assert world.county_a.phone == "0745-1111111" and world.county_a.parent == world.city


@pytest.mark.django_db
def test_an_organisation_cannot_be_moved_below_itself_from_the_page(client, world, login):
    city_admin = UserFactory(organisation=world.city, role=Role.BUREAU_ADMIN)
    login(client, city_admin)
    page = client.get(reverse("orgs:edit", args=[world.county_a.pk]))
    choices = [value for value, _label in page.context["form"].fields["parent"].choices if value]
    assert str(world.office_a.pk) not in {str(c) for c in choices}
    assert str(world.county_a.pk) not in {str(c) for c in choices}


@pytest.mark.django_db
def test_the_detail_page_lists_children_and_staff(client, world, login):
    login(client, world.bureau_a)
    html = client.get(reverse("orgs:detail", args=[world.county_a.pk])).content.decode()
    assert world.office_a.name in html and world.bureau_a.username in html
