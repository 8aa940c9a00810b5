import re
from pathlib import Path

import pytest
from django.conf import settings

from zhengtu.accounts.models import User
from zhengtu.demo.accounts import DEMO_ACCOUNTS, demo_totp_base32
from zhengtu.demo.seed import create_missing_name_readings, seed
from zhengtu.supervisees.models import NameReading, Supervisee
from zhengtu.supervisees.names import other_readings, pinyin_of
from zhengtu.supervisees.selectors import SuperviseeFilters, list_supervisees, supervisees_visible_to


@pytest.mark.django_db
def test_county_demo_is_idempotent_and_keeps_user_changes():
    first = seed("county")
    assert first["supervisees_created"] == 330
    person = Supervisee.objects.first()
    person.notes = "changed by a user"
    person.save(update_fields=["notes"])
    second = seed("county")
    assert second["supervisees_created"] == 0
    assert Supervisee.objects.count() == 330
    person.refresh_from_db()
    assert person.notes == "changed by a user"


@pytest.mark.django_db
def test_each_role_has_accounts_in_two_organisations_with_scoped_views():
    seed("county")
    officer_a = User.objects.get(username="officer_lufeng")
    officer_b = User.objects.get(username="officer_chenyang")
    seen_a = set(supervisees_visible_to(officer_a).values_list("pk", flat=True))
    seen_b = set(supervisees_visible_to(officer_b).values_list("pk", flat=True))
    assert seen_a and seen_b and not (seen_a & seen_b)
    own = Supervisee.objects.get(user__username="supervisee_lufeng")
    assert list(supervisees_visible_to(own.user)) == [own]


def _bureau_seeing(person: Supervisee) -> User:
    bureaus = User.objects.filter(username__in=["bureau_xupu", "bureau_chenxi"])
    return next(user for user in bureaus if supervisees_visible_to(user).filter(pk=person.pk).exists())


def _found_by(user: User, letters: str) -> set[int]:
    return set(list_supervisees(user, SuperviseeFilters(q=letters)).values_list("pk", flat=True))


@pytest.mark.django_db
def test_demo_people_are_found_by_the_initials_of_every_reading_of_their_name():
    seed("county")
    polyphonic = [p for p in Supervisee.objects.order_by("pk") if other_readings(p.name)]
    assert polyphonic, "the demo seed names some people 曾…, read zēng or céng"

    for person in polyphonic:
        bureau = _bureau_seeing(person)
        _pinyin, initials = pinyin_of(person.name)
        assert person.pk in _found_by(bureau, initials)
        for other_pinyin, other_initials in other_readings(person.name):
            assert person.pk in _found_by(bureau, other_initials), (person.name, other_initials)
            assert person.pk in _found_by(bureau, other_pinyin), (person.name, other_pinyin)

    written = sorted(NameReading.objects.values_list("supervisee_id", "pinyin", "initials"))
    assert create_missing_name_readings() == 0
    NameReading.objects.all().delete()  # a demo database seeded before readings were written
    assert create_missing_name_readings() == len(written)
    assert sorted(NameReading.objects.values_list("supervisee_id", "pinyin", "initials")) == written


def test_readme_lists_every_demo_account_with_its_secret():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    for account in DEMO_ACCOUNTS:
        row = re.search(rf"^\| `{account.username}` \|.*$", readme, re.MULTILINE)
        assert row, account.username
        if account.role != "supervisee":
            assert demo_totp_base32(account.username) in row.group(0)
