import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.accounts.tests.totp import code_for, give_device, wrong_code
from zhengtu.api.models import ApiToken
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.testing.factories import TEST_PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
MINE_URL = "/api/v1/auth/tokens/"


def obtain(client, username, password=TEST_PASSWORD, otp_token="", **extra):
    body = {"username": username, "password": password, "otp_token": otp_token, **extra}
    return client.post(TOKEN_URL, body, content_type="application/json")


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
def test_staff_obtain_a_token_with_password_and_totp_and_use_it(client, world):
    device = give_device(world.officer_a)
    response = obtain(client, world.officer_a.username, otp_token=code_for(device), name="nightly export")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=6, hours=23) < expires - timezone.now() <= dt.timedelta(days=7)
    stored = ApiToken.objects.get(user=world.officer_a)
    assert stored.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.name == "nightly export"
    mine = client.get(MINE_URL, **bearer(body["token"]))
    assert mine.status_code == 200
    assert [t["prefix"] for t in mine.json()] == [stored.prefix]
    assert "key_hash" not in mine.json()[0]
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert AuditEntry.objects.filter(action=Action.API_TOKEN, username=world.officer_a.username).exists()


@pytest.mark.django_db
def test_a_wrong_code_gets_a_chinese_401_and_counts_toward_the_lockout(client, world):
    device = give_device(world.officer_a)
    statuses, details = [], []
    for _ in range(5):
        device.refresh_from_db()
        device.throttle_reset()
        response = obtain(client, world.officer_a.username, otp_token=wrong_code(device))
        statuses.append(response.status_code)
        details.append(response.json()["detail"])
    assert statuses == [401, 401, 401, 401, 429]
    assert details[0] == "动态验证码错误或已过期。"
    assert "账户已锁定" in details[4]
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, detail__reason="otp_invalid").count() == 5
    # Locked for the web login as well: one lockout for the person, whatever door they knock on.
    page = client.post(
        "/accounts/login/",
        {"username": world.officer_a.username, "password": TEST_PASSWORD, "otp_token": code_for(device)},
    )
    assert page.status_code == 429


@pytest.mark.django_db
def test_a_wrong_password_gets_a_401(client, world):
    response = obtain(client, world.officer_a.username, password="not-it-at-all")
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码错误。"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_staff_without_a_device_must_enrol_on_the_web_first(client, world):
    response = obtain(client, world.officer_a.username)
    assert response.status_code == 403
    assert "双因素登录" in response.json()["detail"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_supervisees_obtain_a_token_with_their_password(client, world):
    person = UserFactory(role=Role.SUPERVISEE, organisation=None)
    response = obtain(client, person.username)
    assert response.status_code == 200


@pytest.mark.django_db
def test_missing_fields_are_reported_per_field_in_chinese(client):
    response = client.post(TOKEN_URL, {"username": "x"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("提交的数据有误")
    assert body["errors"]["password"] and "otp_token" not in body["errors"]


@pytest.mark.django_db
def test_an_expired_token_is_refused_and_the_attempt_audited(client, world):
    device = give_device(world.officer_a)
    token = obtain(client, world.officer_a.username, otp_token=code_for(device)).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(MINE_URL, **bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "API 令牌无效、已过期或已撤销，请重新获取。"}
    entry = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).latest("sequence")
    assert entry.detail["reason"] == "expired" and entry.username == world.officer_a.username


@pytest.mark.django_db
def test_garbage_and_malformed_tokens_are_refused(client):
    assert client.get(MINE_URL, **bearer("zt_not-a-real-token")).status_code == 401
    assert client.get(MINE_URL, HTTP_AUTHORIZATION="Bearer a b").status_code == 401
    assert client.get(MINE_URL).status_code == 401  # no credentials at all


@pytest.mark.django_db
def test_revoking_the_current_token(client, world):
    device = give_device(world.officer_a)
    token = obtain(client, world.officer_a.username, otp_token=code_for(device)).json()["token"]
    assert client.post("/api/v1/auth/token/revoke/", **bearer(token)).status_code == 204
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get(MINE_URL, **bearer(token)).status_code == 401


@pytest.mark.django_db
def test_revoking_one_of_my_tokens_by_id_and_outsiders_get_404(client, world):
    device_a = give_device(world.officer_a)
    device_b = give_device(world.officer_b)
    token_a = obtain(client, world.officer_a.username, otp_token=code_for(device_a)).json()["token"]
    token_b = obtain(client, world.officer_b.username, otp_token=code_for(device_b)).json()["token"]
    id_a = ApiToken.objects.get(user=world.officer_a).pk
    assert client.delete(f"{MINE_URL}{id_a}/", **bearer(token_b)).status_code == 404
    assert ApiToken.objects.get(pk=id_a).revoked_at is None
    assert client.delete(f"{MINE_URL}{id_a}/", **bearer(token_a)).status_code == 204
    assert ApiToken.objects.get(pk=id_a).revoked_at is not None


@pytest.mark.django_db
def test_the_token_page_lists_and_revokes_my_tokens_only(client, world, login):
    device_b = give_device(world.officer_b)
    obtain(client, world.officer_b.username, otp_token=code_for(device_b))
    other = ApiToken.objects.get(user=world.officer_b)
    login(client, world.officer_a)
    assert other.prefix not in client.get("/accounts/me/").content.decode()
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.django_db
def test_a_successful_token_request_forgives_earlier_failures_from_that_address(client, world):
    from axes.models import AccessAttempt

    device = give_device(world.officer_a)
    for _ in range(3):
        obtain(client, world.officer_a.username, password="not-it-at-all")
    assert AccessAttempt.objects.filter(username=world.officer_a.username).exists()
    assert obtain(client, world.officer_a.username, otp_token=code_for(device)).status_code == 200
    assert not AccessAttempt.objects.filter(username=world.officer_a.username).exists()
