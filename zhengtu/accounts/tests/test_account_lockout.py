"""Issue 16 item 9: guessing one account's password from many addresses locks the account itself;
an administrator unlocks it (page button or command), audited; the token endpoint is rate-limited."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhengtu.accounts.tests.totp import code_for, give_device
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.testing.factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
TOKEN_URL = "/api/v1/auth/token/"


def attempt(client, username, address, password="wrong-password-1", otp_token=""):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": otp_token}, REMOTE_ADDR=address)


def _guess_from_five_addresses(client, username):  # type: ignore[no-untyped-def]
    return [attempt(client, username, f"198.51.100.{1 + n % 5}").status_code for n in range(20)]


@pytest.mark.django_db
def test_twenty_wrong_passwords_from_five_addresses_lock_the_account(client, world):
    statuses = _guess_from_five_addresses(client, world.officer_a.username)
    assert statuses[:19] == [200] * 19  # 4 per address: the (username, address) lockout never fired
    assert statuses[19] == 429
    # Now the right password and code from yet another address are refused too.
    device = give_device(world.officer_a)
    refused = attempt(client, world.officer_a.username, "203.0.113.9", TEST_PASSWORD, code_for(device))
    assert refused.status_code == 429
    assert "此账户" in refused.content.decode() and "管理员可为其解锁" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    lock = AuditEntry.objects.get(action=Action.LOGIN_LOCKED, detail__scope="account")
    assert lock.object_id == str(world.officer_a.pk)
    # The API refuses it as well.
    api = client.post(
        TOKEN_URL,
        {"username": world.officer_a.username, "password": TEST_PASSWORD, "otp_token": code_for(device)},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.10",
    )
    assert api.status_code == 429 and "此账户" in api.json()["detail"]


@pytest.mark.django_db
def test_the_administrator_unlocks_the_account_on_its_page(client, world, login):
    _guess_from_five_addresses(client, world.officer_a.username)
    login(client, world.bureau_a)
    page = client.get(reverse("accounts:user_detail", args=[world.officer_a.pk])).content.decode()
    assert "登录失败次数过多，锁定至" in page and "解除登录锁定" in page
    response = client.post(reverse("accounts:user_unlock", args=[world.officer_a.pk]))
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=Action.UPDATE, detail__change="unlocked").get()
    assert entry.username == world.bureau_a.username and entry.detail["account_was_locked"] is True
    client.logout()
    device = give_device(world.officer_a)
    ok = attempt(client, world.officer_a.username, "203.0.113.9", TEST_PASSWORD, code_for(device))
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(world.officer_a.pk)


@pytest.mark.django_db
def test_an_outsider_cannot_unlock(client, world, login):
    _guess_from_five_addresses(client, world.officer_a.username)
    login(client, world.officer_b)
    assert client.post(reverse("accounts:user_unlock", args=[world.officer_a.pk])).status_code in {403, 404}
    client.logout()
    assert attempt(client, world.officer_a.username, "203.0.113.9", TEST_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_unlock_command(client, world, capsys):
    _guess_from_five_addresses(client, world.officer_a.username)
    call_command("unlock_account", world.officer_a.username)
    assert world.officer_a.username in capsys.readouterr().out
    assert AuditEntry.objects.filter(detail__change="unlocked", username="unlock_account").exists()
    assert attempt(client, world.officer_a.username, "203.0.113.9", TEST_PASSWORD).status_code != 429


@pytest.mark.django_db
def test_the_token_endpoint_is_rate_limited_per_account_and_per_address(client, world, settings):
    settings.ZHENGTU_API_TOKEN_RATE = {"per_account": 10, "per_address": 30}

    def ask(username, address):  # type: ignore[no-untyped-def]
        body = {"username": username, "password": "wrong-password-1", "otp_token": ""}
        return client.post(TOKEN_URL, body, content_type="application/json", REMOTE_ADDR=address)

    per_account = [ask(world.social_worker_a.username, f"192.0.2.{n}").status_code for n in range(11)]
    assert per_account[:10] == [401] * 10 and per_account[10] == 429
    per_address = [ask(f"nobody{n}", "192.0.2.200").status_code for n in range(31)]
    assert per_address[:30] == [401] * 30
    limited = ask("nobody-else", "192.0.2.200")
    assert limited.status_code == 429
    assert "请求过于频繁" in limited.json()["detail"] and int(limited["Retry-After"]) > 0
