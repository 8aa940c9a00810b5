import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.testing.factories import TEST_PASSWORD

from .totp import code_for, give_device, wrong_code

LOGIN = reverse("accounts:login")


def attempt(client, username, password="wrong-password-1", otp_token=""):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": otp_token})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_with_a_429_page_saying_how_long(client, world):
    assert settings.AXES_FAILURE_LIMIT == 5
    responses = [attempt(client, world.officer_a.username) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[4]
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "账户已锁定" in text and "30 分钟" in text
    # Now even the right password and code are refused until the cool-off ends.
    device = give_device(world.officer_a)
    refused = attempt(client, world.officer_a.username, TEST_PASSWORD, code_for(device))
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=Action.LOGIN_LOCKED, username=world.officer_a.username).exists()


@pytest.mark.django_db
def test_wrong_codes_count_toward_the_lockout_too(client, world):
    device = give_device(world.officer_a)
    statuses = []
    for _ in range(5):
        device.refresh_from_db()
        device.throttle_reset()  # the device's own back-off is not what is tested here
        statuses.append(attempt(client, world.officer_a.username, TEST_PASSWORD, wrong_code(device)).status_code)
    assert statuses == [200, 200, 200, 200, 429]
    reasons = list(
        AuditEntry.objects.filter(action=Action.LOGIN_FAILED)
        .order_by("sequence")
        .values_list("detail__reason", flat=True)
    )
    assert reasons == ["otp_invalid"] * 5


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, world):
    for _ in range(5):
        attempt(client, world.officer_a.username)
    cool_off = dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - cool_off - dt.timedelta(minutes=1))
    device = give_device(world.officer_a)
    response = attempt(client, world.officer_a.username, TEST_PASSWORD, code_for(device))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_lock_on_one_username_leaves_colleagues_alone(client, world):
    for _ in range(5):
        attempt(client, world.officer_a.username)
    device = give_device(world.colleague_a)
    assert attempt(client, world.colleague_a.username, TEST_PASSWORD, code_for(device)).status_code == 302


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(client, world):
    device = give_device(world.officer_a)
    for _ in range(3):
        attempt(client, world.officer_a.username)
    assert attempt(client, world.officer_a.username, TEST_PASSWORD, code_for(device)).status_code == 302
    assert not AccessAttempt.objects.filter(username=world.officer_a.username).exists()
