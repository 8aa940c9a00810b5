"""Factories for tests and demo data (factory-boy, Faker zh_CN)."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.contrib.auth.hashers import make_password
from faker import Faker

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.orgs.models import Organisation
from zhengtu.orgs.services import create_organisation
from zhengtu.supervisees.identity import make_identity_number
from zhengtu.supervisees.models import SentenceType, Sex, Supervisee
from zhengtu.supervisees.services import create_supervisee

fake = Faker("zh_CN")
TEST_PASSWORD = "correct-horse-battery-42"


def make_org(name: str, kind: str, parent: Organisation | None = None) -> Organisation:
    return create_organisation(name=name, kind=kind, parent=parent)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(lambda: fake.name())
    role = Role.OFFICE_OFFICER
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))


_sequence = iter(range(1, 10**9))


def make_supervisee(office: Organisation, **overrides: object) -> Supervisee:
    """A valid supervisee registered through the real service (encryption, pinyin, term end)."""
    sex = overrides.pop("sex", random.choice([Sex.MALE, Sex.MALE, Sex.FEMALE]))
    birth: dt.date = overrides.pop(  # type: ignore[assignment]
        "birth_date", fake.date_between(dt.date(1960, 1, 1), dt.date(2004, 12, 31))
    )
    identity_number = overrides.pop("identity_number", make_identity_number("431224", birth, next(_sequence), str(sex)))
    fields: dict[str, object] = {
        "name": fake.name(),
        "identity_number": identity_number,
        "phone": fake.phone_number(),
        "sentence_type": SentenceType.PROBATION,
        "crime": "盗窃罪",
        "deciding_organ": "溆浦县人民法院",
        "term_start": dt.date(2026, 1, 5),
        "term_months": 12,
        "responsible_office": office,
    }
    fields.update(overrides)
    return create_supervisee(actor=None, **fields)  # type: ignore[arg-type]
