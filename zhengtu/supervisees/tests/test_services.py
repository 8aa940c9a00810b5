"""Registration rules: identity, divisions, offices, officers, family, audit of changes and reveals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtu.audit.models import Action, AuditEntry, Outcome
from zhengtu.audit.services import Actor
from zhengtu.orgs.models import Division, OrganisationKind
from zhengtu.supervisees import services
from zhengtu.supervisees.models import Assignment, AssignmentRole, Supervisee
from zhengtu.testing.factories import UserFactory, make_org, make_supervisee

from .builders import identity

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


def fields(office, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "name": "张三",
        "identity_number": identity(),
        "phone": "13812345678",
        "sentence_type": "probation",
        "crime": "盗窃罪",
        "deciding_organ": "溆浦县人民法院",
        "term_start": dt.date(2026, 1, 5),
        "term_months": 12,
        "responsible_office": office,
    }
    values.update(overrides)
    return values


def test_registration_derives_and_audits(world) -> None:  # type: ignore[no-untyped-def]
    actor = Actor(user=world.officer_a, ip_address="10.1.2.3")
    person = services.create_supervisee(
        actor=actor,
        family_members=[{"name": "李秀英", "relation": "母亲"}, {"name": "", "relation": ""}],
        **fields(world.office_a, term_extra_days=10),
    )
    assert person.birth_date == dt.date(1985, 3, 2)
    assert person.sex == "male"
    assert person.term_end == dt.date(2027, 1, 14)
    assert person.identity_number == identity()
    assert person.phone_masked == "138****5678"
    assert [m.name for m in person.family_members.all()] == ["李秀英"]
    entry = AuditEntry.objects.get(action=Action.CREATE)
    assert (entry.username, entry.object_id, entry.ip_address) == (world.officer_a.username, str(person.pk), "10.1.2.3")


def test_all_problems_are_reported_at_once(world) -> None:  # type: ignore[no-untyped-def]
    bad = identity()[:-1] + ("0" if identity()[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.create_supervisee(actor=None, **fields(world.office_a, identity_number=bad, crime="", phone="12ab"))
    assert set(caught.value.message_dict) == {"identity_number", "crime", "phone"}
    assert not Supervisee.objects.exists()


def test_given_birth_date_and_sex_are_checked(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.create_supervisee(actor=None, **fields(world.office_a, birth_date=dt.date(1985, 3, 3), sex="female"))
    assert set(caught.value.message_dict) == {"birth_date", "sex"}
    assert "1985-03-02" in caught.value.message_dict["birth_date"][0]


def test_duplicate_identity_number_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    services.create_supervisee(actor=None, **fields(world.office_a))
    with pytest.raises(ValidationError) as caught:
        services.create_supervisee(actor=None, **fields(world.office_a, name="另一个"))
    assert "identity_number" in caught.value.message_dict


def test_residence_must_be_precise_to_the_county(world, divisions) -> None:  # type: ignore[no-untyped-def]
    hunan = Division.objects.get(code="430000")
    with pytest.raises(ValidationError) as caught:
        services.create_supervisee(actor=None, **fields(world.office_a, residence_division=hunan))
    assert "residence_division" in caught.value.message_dict
    township = Division.objects.get(code="431224100000")  # 卢峰镇
    person = services.create_supervisee(actor=None, **fields(world.office_a, residence_division=township))
    assert person.residence_division.full_name == "湖南省怀化市溆浦县卢峰镇"


def test_office_must_be_in_the_users_subtree_and_of_a_responsible_kind(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.create_supervisee(actor=Actor(user=world.officer_a), **fields(world.office_b))
    assert "responsible_office" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.create_supervisee(actor=Actor(user=world.bureau_a), **fields(world.agency_a))
    assert services.create_supervisee(actor=Actor(user=world.bureau_a), **fields(world.office_a2)).pk


def test_responsible_officer_works_in_the_office_or_above(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.create_supervisee(actor=None, **fields(world.office_a, responsible_officer=world.officer_b))
    assert "responsible_officer" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.create_supervisee(actor=None, **fields(world.office_a, responsible_officer=world.social_worker_a))
    person = services.create_supervisee(actor=None, **fields(world.office_a, responsible_officer=world.bureau_a))
    assert person.responsible_officer == world.bureau_a


def test_update_keeps_blank_numbers_and_logs_what_changed(world) -> None:  # type: ignore[no-untyped-def]
    person = make_supervisee(world.office_a, name="张三", phone="13812345678")
    number = person.identity_number
    services.update_supervisee(
        actor=Actor(user=world.officer_a),
        supervisee=person,
        identity_number="",
        phone="",
        name="张叁",
        term_months=24,
        family_members=[{"name": "张父", "relation": "父亲"}],
    )
    person.refresh_from_db()
    assert (person.identity_number, person.phone, person.name) == (number, "13812345678", "张叁")
    assert person.name_initials == "zs" and person.term_end == dt.date(2028, 1, 4)
    entry = AuditEntry.objects.get(action=Action.UPDATE)
    assert set(entry.detail["fields"]) == {"name", "term_months", "family_members"}


def test_update_replaces_family_by_id(world) -> None:  # type: ignore[no-untyped-def]
    person = make_supervisee(
        world.office_a, family_members=[{"name": "甲", "relation": "父亲"}, {"name": "乙", "relation": "母亲"}]
    )
    first, second = person.family_members.order_by("pk")
    services.update_supervisee(
        actor=None,
        supervisee=person,
        family_members=[
            {"id": first.pk, "name": "甲", "relation": "父亲", "phone": "123456"},
            {"name": "丙", "relation": "配偶"},
        ],
    )
    assert [(m.name, m.phone) for m in person.family_members.order_by("pk")] == [("甲", "123456"), ("丙", "")]


def test_photo_is_stored_under_a_random_name(world) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("张三-身份证.png", PNG, content_type="image/png")
    person = services.create_supervisee(actor=None, photo=upload, **fields(world.office_a))
    assert person.photo.name.startswith("supervisees/photos/") and person.photo.name.endswith(".png")
    assert "张三" not in person.photo.name


def test_reveal_is_audited_and_refused_without_the_capability(world) -> None:  # type: ignore[no-untyped-def]
    person = make_supervisee(world.office_a, phone="13812345678")
    assert services.reveal_identity(actor=Actor(user=world.officer_a), supervisee=person) == person.identity_number
    assert (
        services.reveal_identity(actor=Actor(user=world.officer_a), supervisee=person, field="phone") == "13812345678"
    )
    reveals = AuditEntry.objects.filter(action=Action.REVEAL, object_id=str(person.pk)).order_by("sequence")
    assert [e.detail["field"] for e in reveals] == ["identity_number", "phone"]
    with pytest.raises(PermissionDenied):
        services.reveal_identity(actor=Actor(user=world.social_worker_a), supervisee=person)
    assert AuditEntry.objects.filter(action=Action.REVEAL, outcome=Outcome.DENIED).count() == 1


def test_assignment_widens_scope_and_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    person = make_supervisee(world.office_a)
    actor = Actor(user=world.officer_a)
    assignment = services.assign_staff(
        actor=actor, supervisee=person, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER
    )
    with pytest.raises(ValidationError):
        services.assign_staff(actor=actor, supervisee=person, user=world.social_worker_a, role=AssignmentRole.OTHER)
    with pytest.raises(ValidationError):
        services.assign_staff(actor=actor, supervisee=person, user=world.officer_b, role=AssignmentRole.OFFICER)
    services.end_assignment(actor=actor, assignment=assignment)
    assert Assignment.objects.get().ended_at is not None
    assert AuditEntry.objects.filter(object_id=str(person.pk), action__in=[Action.CREATE, Action.UPDATE]).count() == 2


def test_a_city_bureau_may_be_responsible_but_not_an_agency(world) -> None:  # type: ignore[no-untyped-def]
    agency = make_org("另一社工机构", OrganisationKind.AGENCY, world.county_a)
    admin = UserFactory(organisation=world.city, role="bureau_admin")
    assert services.create_supervisee(actor=Actor(user=admin), **fields(world.city)).pk
    with pytest.raises(ValidationError):
        services.create_supervisee(actor=Actor(user=admin), **fields(agency, identity_number=identity(sequence=9)))
