"""Issue 16 item 17: a password change (own or by an administrator) and a deactivation end every API token."""

import pytest
from django.urls import reverse

from zhengtu.accounts.tests.totp import code_for, give_device
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.testing.factories import TEST_PASSWORD

from .test_token import MINE_URL, bearer, obtain

NEW_PASSWORD = "lantern-orchid-47-river"


def _token(client, user):  # type: ignore[no-untyped-def]
    device = give_device(user)
    token = obtain(client, user.username, otp_token=code_for(device)).json()["token"]
    assert client.get(MINE_URL, **bearer(token)).status_code == 200
    return token


@pytest.mark.django_db
def test_changing_ones_own_password_revokes_ones_api_tokens(client, world, login):
    token = _token(client, world.officer_a)
    login(client, world.officer_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(MINE_URL, **bearer(token)).status_code == 401
    revoked = AuditEntry.objects.get(action=Action.UPDATE, detail__change="api_tokens_revoked")
    assert revoked.detail["reason"] == "password_changed"


@pytest.mark.django_db
def test_an_administrators_reset_and_a_deactivation_revoke_the_tokens(client, world, login):
    first = _token(client, world.officer_a)
    login(client, world.bureau_a)
    client.post(
        reverse("accounts:user_set_password", args=[world.officer_a.pk]),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert client.get(MINE_URL, **bearer(first)).status_code == 401

    second = _token(client, world.colleague_a)
    login(client, world.bureau_a)
    client.post(reverse("accounts:user_set_active", args=[world.colleague_a.pk]), {"active": "0"})
    assert client.get(MINE_URL, **bearer(second)).status_code == 401
