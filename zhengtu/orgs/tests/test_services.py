import pytest
from django.core.exceptions import ValidationError

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.orgs.services import create_organisation, move_organisation, update_organisation
from zhengtu.testing.factories import UserFactory, make_org


@pytest.mark.django_db
def test_create_keeps_the_path_and_audits_when_an_actor_is_given(world):
    office = create_organisation(
        name="龙潭司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=world.county_a, actor=Actor(user=world.bureau_a)
    )
    assert office.path == f"{world.county_a.path}{office.pk}/"
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="orgs.organisation")
    assert entry.object_id == str(office.pk) and entry.username == world.bureau_a.username


@pytest.mark.django_db
def test_a_bureau_admin_cannot_create_outside_their_subtree_or_at_the_top(world):
    actor = Actor(user=world.bureau_a)
    with pytest.raises(ValidationError) as outside:
        create_organisation(name="x司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=world.county_b, actor=actor)
    assert "parent" in outside.value.message_dict
    with pytest.raises(ValidationError):
        create_organisation(name="新市局", kind=OrganisationKind.CITY_BUREAU, parent=None, actor=actor)
    assert not Organisation.objects.filter(name__in=["x司法所", "新市局"]).exists()


@pytest.mark.django_db
def test_the_shape_of_the_tree_is_enforced(world):
    with pytest.raises(ValidationError) as error:
        create_organisation(name="错位司法所", kind=OrganisationKind.JUSTICE_OFFICE, parent=world.city)
    assert "parent" in error.value.message_dict


@pytest.mark.django_db
def test_moving_an_office_moves_its_whole_subtree(world):
    city_admin = UserFactory(organisation=world.city, role=Role.BUREAU_ADMIN)
    moved = move_organisation(organisation=world.office_a2, new_parent=world.county_b, actor=Actor(user=city_admin))
    assert moved.path == f"{world.county_b.path}{moved.pk}/"
    assert AuditEntry.objects.get(action=Action.UPDATE).detail == {
        "moved_from": world.county_a.name,
        "moved_to": world.county_b.name,
    }


@pytest.mark.django_db
def test_a_subtree_keeps_its_paths_when_its_root_moves(world):
    city_2 = make_org("长沙市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    move_organisation(organisation=world.county_a, new_parent=city_2)
    world.office_a.refresh_from_db()
    assert world.office_a.path == f"{city_2.path}{world.county_a.pk}/{world.office_a.pk}/"


@pytest.mark.django_db
def test_an_organisation_cannot_go_under_its_own_descendant(world):
    with pytest.raises(ValidationError):
        move_organisation(organisation=world.city, new_parent=world.county_a)


@pytest.mark.django_db
def test_a_manager_cannot_move_their_own_organisation_or_into_another_county(world):
    with pytest.raises(ValidationError):
        move_organisation(organisation=world.county_a, new_parent=None, actor=Actor(user=world.bureau_a))
    with pytest.raises(ValidationError):
        move_organisation(organisation=world.office_a, new_parent=world.county_b, actor=Actor(user=world.bureau_a))
    world.office_a.refresh_from_db()
    assert world.office_a.parent == world.county_a


@pytest.mark.django_db
def test_renaming_to_a_siblings_name_is_a_validation_error_not_a_crash(world):
    with pytest.raises(ValidationError):
        update_organisation(organisation=world.office_a2, name=world.office_a.name)


@pytest.mark.django_db
def test_changing_the_kind_is_refused_when_the_children_would_no_longer_fit(world):
    with pytest.raises(ValidationError) as error:
        update_organisation(organisation=world.county_a, kind=OrganisationKind.AGENCY)
    assert "kind" in error.value.message_dict
    world.county_a.refresh_from_db()
    assert world.county_a.kind == OrganisationKind.COUNTY_BUREAU


@pytest.mark.django_db
def test_update_audits_the_changed_fields_only(world):
    update_organisation(
        organisation=world.office_a, phone="0745-1234567", name=world.office_a.name, actor=Actor(user=world.bureau_a)
    )
    assert AuditEntry.objects.get(action=Action.UPDATE).detail == {"fields": ["phone"]}
