"""Two counties, each with a procuratorate and an agency: the people on a case, a colleague and outsiders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.juvenile.models import JuvenileCase, ServiceType, Sex
from zhengtu.juvenile.services.cases import refer_case
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.testing.factories import UserFactory, make_org


@dataclass
class Juvenile:
    county_a: Organisation
    county_b: Organisation
    procuratorate_a: Organisation
    agency_a: Organisation
    office_a: Organisation
    prosecutor_a: User
    prosecutor_b: User
    worker: User  # social worker who takes the case
    colleague: User  # same agency, not on the case
    manager: User  # agency manager (approves)
    bureau_a: User  # county bureau admin (approves sealed reads)
    worker_b: User  # social worker in the other county: the outsider
    officer_a: User  # justice office officer of county A

    def refer(self, **overrides: object) -> JuvenileCase:
        fields: dict[str, object] = {
            "service_type": ServiceType.SOCIAL_INVESTIGATION,
            "child_name": "王小明",
            "sex": Sex.MALE,
            "birth_date": dt.date(2010, 5, 1),
            "agency": self.agency_a,
            "summary": "涉嫌盗窃，需开展社会调查",
            "child_consent": True,
            "guardian_consent": True,
            "guardian_name": "王建国",
            "guardian_relation": "父亲",
            "guardian_phone": "13812345678",
        }
        fields.update(overrides)
        return refer_case(actor=Actor(user=self.prosecutor_a), **fields)  # type: ignore[arg-type]


@pytest.fixture
def juv(db: None) -> Juvenile:
    city = make_org("怀化市社区矫正管理局", OrganisationKind.CITY_BUREAU)
    county_a = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    county_b = make_org("辰溪县社区矫正管理局", OrganisationKind.COUNTY_BUREAU, city)
    procuratorate_a = make_org("溆浦县人民检察院", OrganisationKind.PROCURATORATE, county_a)
    procuratorate_b = make_org("辰溪县人民检察院", OrganisationKind.PROCURATORATE, county_b)
    agency_a = make_org("溆浦县阳光社会工作服务中心", OrganisationKind.AGENCY, county_a)
    agency_b = make_org("辰溪县启航社会工作服务中心", OrganisationKind.AGENCY, county_b)
    office_a = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county_a)
    return Juvenile(
        county_a=county_a,
        county_b=county_b,
        procuratorate_a=procuratorate_a,
        agency_a=agency_a,
        office_a=office_a,
        prosecutor_a=UserFactory(organisation=procuratorate_a, role=Role.PROSECUTOR),
        prosecutor_b=UserFactory(organisation=procuratorate_b, role=Role.PROSECUTOR),
        worker=UserFactory(organisation=agency_a, role=Role.SOCIAL_WORKER),
        colleague=UserFactory(organisation=agency_a, role=Role.SOCIAL_WORKER),
        manager=UserFactory(organisation=agency_a, role=Role.AGENCY_MANAGER),
        bureau_a=UserFactory(organisation=county_a, role=Role.BUREAU_ADMIN),
        worker_b=UserFactory(organisation=agency_b, role=Role.SOCIAL_WORKER),
        officer_a=UserFactory(organisation=office_a, role=Role.OFFICE_OFFICER),
    )


def accepted(juv: Juvenile, **overrides: object) -> JuvenileCase:
    """A referred case the worker has accepted (so the worker is on it)."""
    from zhengtu.juvenile.services.cases import accept_case

    case = juv.refer(**overrides)
    return accept_case(actor=Actor(user=juv.worker), case=case, content="接案面谈，建立专业关系")
