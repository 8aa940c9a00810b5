"""Shared fixtures: an organisation tree with an owner, a colleague and an outsider."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.testing.factories import UserFactory, make_org

# Property tests check behaviour, never speed: no per-example deadline and no "too slow" health check, which a
# busy machine would otherwise turn into random failures. Timings belong in bench/.
settings.register_profile("zhengtu", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("zhengtu")


@dataclass
class World:
    city: Organisation
    county_a: Organisation
    county_b: Organisation
    office_a: Organisation
    office_a2: Organisation
    office_b: Organisation
    agency_a: Organisation
    officer_a: User  # works in office_a: the owner
    colleague_a: User  # also office_a
    officer_b: User  # office_b in another county: the outsider
    bureau_a: User  # county_a bureau admin
    social_worker_a: User  # agency under county_a; sees only assigned supervisees


@pytest.fixture
def world(db: None) -> World:
    city = make_org("怀化市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    county_a = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    county_b = make_org("辰溪县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    office_a = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county_a)
    office_a2 = make_org("桥江司法所", OrganisationKind.JUSTICE_OFFICE, county_a)
    office_b = make_org("辰阳司法所", OrganisationKind.JUSTICE_OFFICE, county_b)
    agency_a = make_org("溆浦县阳光社会工作服务中心", OrganisationKind.AGENCY, county_a)
    return World(
        city=city,
        county_a=county_a,
        county_b=county_b,
        office_a=office_a,
        office_a2=office_a2,
        office_b=office_b,
        agency_a=agency_a,
        officer_a=UserFactory(organisation=office_a, role=Role.OFFICE_OFFICER),
        colleague_a=UserFactory(organisation=office_a, role=Role.OFFICE_OFFICER),
        officer_b=UserFactory(organisation=office_b, role=Role.OFFICE_OFFICER),
        bureau_a=UserFactory(organisation=county_a, role=Role.BUREAU_ADMIN),
        social_worker_a=UserFactory(organisation=agency_a, role=Role.SOCIAL_WORKER),
    )


def verified_login(client: object, user: User) -> None:
    """Log a staff user in with a verified second factor, as after a real TOTP login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)  # type: ignore[attr-defined]
    session = client.session  # type: ignore[attr-defined]
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.fixture
def login():  # type: ignore[no-untyped-def]
    return verified_login
