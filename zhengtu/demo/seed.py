"""Realistic fake data for demonstrations and benchmarks (Faker zh_CN).

Only for an empty database or one this seeder marked as a demo (`DemoDatabase`): demo accounts share
a published password and TOTP secrets derived from their names, so they must never appear in a real
installation. A database holding users or supervisees without the mark is refused (`RealRecordsPresent`).
Idempotent within a demo database: when the demo organisations exist, the registry is left as users
changed it and only missing demo accounts and each domain's own demo data are added.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import is_supervisee
from zhengtu.core.database import refresh_planner_statistics
from zhengtu.orgs.models import Division, Organisation
from zhengtu.privacy.crypto import blind_index, encrypt, mask_identity_number, mask_phone
from zhengtu.supervisees.identity import make_identity_number
from zhengtu.supervisees.models import (
    Assignment,
    AssignmentRole,
    NameReading,
    SentenceType,
    Sex,
    Status,
    Supervisee,
    SupervisionLevel,
)
from zhengtu.supervisees.names import SURNAME_READINGS, other_readings
from zhengtu.supervisees.services import pinyin_of
from zhengtu.supervisees.terms import compute_term_end

from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_hex_key
from .models import DemoDatabase
from .organisations import PROVINCE_ROOT, County, build_huaihua, build_hunan


@dataclass(frozen=True)
class Scale:
    name: str
    supervisees: int


SCALES = {
    "county": Scale("county", 330),
    "city": Scale("city", 4_000),
    "province": Scale("province", 50_000),
}

CRIMES = (
    ("危险驾驶罪", 22), ("盗窃罪", 14), ("故意伤害罪", 9), ("诈骗罪", 8), ("交通肇事罪", 8), ("开设赌场罪", 6),
    ("帮助信息网络犯罪活动罪", 7), ("寻衅滋事罪", 5), ("非法采矿罪", 3), ("滥伐林木罪", 4), ("非法持有毒品罪", 2),
    ("掩饰、隐瞒犯罪所得罪", 4), ("非法狩猎罪", 2), ("失火罪", 2), ("职务侵占罪", 2), ("拒不支付劳动报酬罪", 2),
)  # fmt: skip
SENTENCE_TYPES = (
    (SentenceType.PROBATION, 82), (SentenceType.PAROLE, 9), (SentenceType.OUTSIDE_PRISON, 6), (SentenceType.CONTROL, 3),
)  # fmt: skip
LEVELS = ((SupervisionLevel.STRICT, 15), (SupervisionLevel.STANDARD, 65), (SupervisionLevel.LENIENT, 20))
EDUCATION = ("小学", "初中", "初中", "初中", "高中", "中专", "大专", "本科")
EMPLOYMENT = ("务农", "务农", "个体经营", "外出务工", "企业职工", "无业", "自由职业")
DEMO_ROOT = "怀化市社区矫正管理局"


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def demo_present() -> bool:
    # At the province scale the demo city sits under the province bureau.
    return (
        Organisation.objects.filter(name=DEMO_ROOT, parent__isnull=True).exists()
        or Organisation.objects.filter(name=DEMO_ROOT, parent__name=PROVINCE_ROOT).exists()
    )


@transaction.atomic
def seed_registry(scale: Scale, *, rng: random.Random, today: dt.date) -> int:
    if scale.name == "county":
        counties = build_huaihua(all_counties=False, offices_per_other_county=0)
    elif scale.name == "city":
        counties = build_huaihua(all_counties=True, offices_per_other_county=12)
    else:
        counties = build_hunan(offices_per_county=13, counties_per_city=8)
    _create_accounts()
    return _create_supervisees(counties, scale.supervisees, rng=rng, today=today)


def _create_accounts() -> None:
    # One hash for every demo account: hashing is deliberately slow (PBKDF2), the password is shared.
    demo_password_hash = make_password(DEMO_PASSWORD)
    organisations = {o.name: o for o in Organisation.objects.filter(name__in={a.organisation for a in DEMO_ACCOUNTS})}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "full_name": account.full_name,
                "role": account.role,
                "organisation": organisations.get(account.organisation),
            },
        )
        if created:
            user.password = demo_password_hash
            user.save(update_fields=["password"])
        if not is_supervisee(account) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_hex_key(user.username), confirmed=True)
    admin, created = User.objects.get_or_create(
        username="sysadmin", defaults={"full_name": "系统管理员", "is_superuser": True, "is_staff": True}
    )
    if created:
        admin.password = demo_password_hash
        admin.save(update_fields=["password"])
        TOTPDevice.objects.create(user=admin, name="demo", key=demo_totp_hex_key("sysadmin"), confirmed=True)


def _create_supervisees(counties: list[County], total: int, *, rng: random.Random, today: dt.date) -> int:
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(1 << 30))
    offices: list[tuple[County, Organisation]] = [(c, o) for c in counties for o in c.offices]
    weights = [c.weight / len(c.offices) for c, _o in offices]
    divisions = set(
        Division.objects.filter(code__in={c.division_code for c in counties}).values_list("code", flat=True)
    )
    officers = {u.organisation_id: u for u in User.objects.filter(role="office_officer")}
    batch: list[Supervisee] = []
    used_identities: set[str] = set()
    created = 0
    for index in range(total):
        county, office = rng.choices(offices, weights=weights)[0]
        sex = Sex.MALE if rng.random() < 0.86 else Sex.FEMALE
        birth = dt.date(rng.randint(1958, 2007), rng.randint(1, 12), rng.randint(1, 28))
        sequence = index
        identity = make_identity_number(county.division_code, birth, sequence, sex)
        while identity in used_identities:  # the sequence field has 500 values per sex and day
            sequence += 1
            birth += dt.timedelta(days=sequence // 500)
            identity = make_identity_number(county.division_code, birth, sequence, sex)
        used_identities.add(identity)
        phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        name = fake.name_male() if sex == Sex.MALE else fake.name_female()
        term_months = rng.choice((6, 8, 10, 12, 12, 18, 24, 24, 36, 36, 48))
        term_start = today - dt.timedelta(days=rng.randint(-10, 900))
        term_end = compute_term_end(term_start, term_months)
        if term_start > today:
            status = Status.PENDING_INTAKE
        elif term_end < today:
            status = Status.RELEASED
        else:
            status = Status.UNDER_SUPERVISION
        full_pinyin, initials = pinyin_of(name)
        county_name = county.bureau.name.removesuffix("社区矫正管理局")
        batch.append(
            Supervisee(
                name=name,
                name_pinyin=full_pinyin,
                name_initials=initials,
                identity_number_encrypted=encrypt(identity),
                identity_number_index=blind_index(identity),
                identity_number_masked=mask_identity_number(identity),
                sex=sex,
                birth_date=birth,
                education=rng.choice(EDUCATION),
                phone_encrypted=encrypt(phone),
                phone_index=blind_index(phone),
                phone_masked=mask_phone(phone),
                residence_division_id=county.division_code if county.division_code in divisions else None,
                residence_address=f"{county_name}{office.name.removesuffix('司法所')}{fake.street_name()}{rng.randint(1, 200)}号",
                employment_status=rng.choice(EMPLOYMENT),
                sentence_type=_weighted(rng, SENTENCE_TYPES),
                crime=_weighted(rng, CRIMES),
                original_sentence=f"有期徒刑{rng.randint(6, 36)}个月",
                deciding_organ=f"{county_name}人民法院",
                judgment_effective_date=term_start - dt.timedelta(days=rng.randint(3, 9)),
                term_start=term_start,
                term_months=term_months,
                term_end=term_end,
                supervision_level=_weighted(rng, LEVELS),
                status=status,
                responsible_office=office,
                responsible_officer=officers.get(office.pk),
            )
        )
        if len(batch) >= 2000:
            Supervisee.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    Supervisee.objects.bulk_create(batch)
    created += len(batch)
    create_missing_name_readings()
    _assign_demo_people(rng)
    return created


@transaction.atomic
def create_missing_name_readings() -> int:
    """Give bulk-created people the other pinyin readings the registry stores on save (曾 céng as well as zēng).

    Only names starting with a surname of several readings can have one, so only those are read; people who
    already have readings are left alone, which makes a second run write nothing.
    """
    polyphonic = Q()
    for surname in SURNAME_READINGS:
        polyphonic |= Q(name__startswith=surname)
    candidates = Supervisee.objects.filter(polyphonic, name_readings__isnull=True).values_list("pk", "name")
    readings = [
        NameReading(supervisee_id=pk, pinyin=pinyin, initials=initials)
        for pk, name in candidates.iterator(chunk_size=2000)
        for pinyin, initials in other_readings(name)
    ]
    NameReading.objects.bulk_create(readings, batch_size=2000)
    return len(readings)


def _assign_demo_people(rng: random.Random) -> None:
    for username, office_name, count in (("sw_xupu", "卢峰司法所", 20), ("sw_chenxi", "辰阳司法所", 10)):
        worker = User.objects.filter(username=username).first()
        people = list(
            Supervisee.objects.filter(responsible_office__name=office_name, status=Status.UNDER_SUPERVISION)[:count]
        )
        Assignment.objects.bulk_create(
            [Assignment(supervisee=p, user=worker, role=AssignmentRole.SOCIAL_WORKER) for p in people if worker]
        )
    for username, office_name in (("supervisee_lufeng", "卢峰司法所"), ("supervisee_chenyang", "辰阳司法所")):
        account = User.objects.filter(username=username).first()
        person = Supervisee.objects.filter(
            responsible_office__name=office_name, status=Status.UNDER_SUPERVISION, user=None
        ).first()
        if account and person:
            person.user = account
            person.save(update_fields=["user"])
            account.full_name = person.name
            account.save(update_fields=["full_name"])


def seed_domains(scale: str) -> list[str]:
    """Each domain app may ship `demo.py` with an idempotent `seed(*, scale)`; run them in app order."""
    seeded = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhengtu.") or config.name == "zhengtu.demo":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        module.seed(scale=scale)
        seeded.append(config.label)
    return seeded


class RealRecordsPresent(Exception):  # noqa: N818 - reads as the reason for the refusal
    """The database holds users or supervisees that the demo seeder did not create."""

    def __init__(self, users: int, supervisees: int) -> None:
        self.users, self.supervisees = users, supervisees
        super().__init__(
            f"This database holds real records ({users} user(s), {supervisees} supervisee(s)) and is not a demo "
            "database: demo data (accounts with a published password) is never added to a real installation. "
            "Use an empty database for a demo, e.g. ZHENGTU_VAR_DIR=/tmp/zhengtu-demo make demo."
        )


def check_demo_allowed(*, mark_as_demo: bool = False) -> None:
    """Raise RealRecordsPresent unless the database is empty or already marked as a demo database.

    `mark_as_demo` is the operator's explicit word that an unmarked database (a demo made before the
    mark existed) holds only demo data.
    """
    if mark_as_demo or DemoDatabase.objects.exists():
        return
    users, supervisees = User.objects.count(), Supervisee.objects.count()
    if users or supervisees:
        raise RealRecordsPresent(users, supervisees)


def seed(scale_name: str, *, seed_value: int = 20201, mark_as_demo: bool = False) -> dict[str, object]:
    scale = SCALES[scale_name]
    with transaction.atomic():
        check_demo_allowed(mark_as_demo=mark_as_demo)
        if not DemoDatabase.objects.exists():
            DemoDatabase.objects.create(scale=scale_name)
    if "load_divisions" in get_commands() and not Division.objects.exists():
        call_command("load_divisions", verbosity=0)
    created = 0
    if not demo_present():
        created = seed_registry(scale, rng=random.Random(seed_value), today=timezone.localdate())
    else:
        _create_accounts()
        create_missing_name_readings()  # demo registries seeded before readings were written get them now
    domains = seed_domains(scale_name)
    refresh_planner_statistics()  # thousands of rows arrived at once; the planner must know
    return {"supervisees_created": created, "domains": domains}
