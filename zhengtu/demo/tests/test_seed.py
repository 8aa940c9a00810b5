import re
from pathlib import Path

import pytest
from django.conf import settings

from zhengtu.accounts.models import User
from zhengtu.demo.accounts import DEMO_ACCOUNTS, demo_totp_base32
from zhengtu.demo.seed import seed
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to


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


def test_readme_lists_every_demo_account_with_its_secret():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    for account in DEMO_ACCOUNTS:
        row = re.search(rf"^\| `{account.username}` \|.*$", readme, re.MULTILINE)
        assert row, account.username
        if account.role != "supervisee":
            assert demo_totp_base32(account.username) in row.group(0)
