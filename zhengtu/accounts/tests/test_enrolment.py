import base64
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.testing.factories import TEST_PASSWORD

from .totp import code_for, code_from_secret, give_device

ENROL = reverse("accounts:enrol")


def log_in_with_password_only(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def secret_on(page) -> str:
    match = re.search(r'data-secret="([A-Z2-7]+)"', page.content.decode())
    assert match, "the enrolment page shows the secret"
    return match.group(1)


@pytest.mark.django_db
def test_enrolment_page_shows_a_qr_code_and_the_secret_of_one_pending_device(client, world):
    log_in_with_password_only(client, world.bureau_a)
    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<path" in html
    assert "otpauth://totp/" in html and "issuer=" in html
    device = TOTPDevice.objects.get(user=world.bureau_a)
    assert not device.confirmed
    assert secret_on(page) == base64.b32encode(device.bin_key).decode()
    # Reloading the page keeps the same secret: the phone already scanned it.
    assert secret_on(client.get(ENROL)) == secret_on(page)
    assert TOTPDevice.objects.filter(user=world.bureau_a).count() == 1


@pytest.mark.django_db
def test_the_first_code_confirms_the_device_verifies_the_session_and_is_audited(client, world):
    log_in_with_password_only(client, world.bureau_a)
    secret = secret_on(client.get(ENROL))
    response = client.post(f"{ENROL}?next=/tasks/", {"otp_token": code_from_secret(secret), "next": "/tasks/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    device = TOTPDevice.objects.get(user=world.bureau_a)
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get(reverse("accounts:user_list")).status_code == 200
    entry = AuditEntry.objects.get(action=Action.OTP_ENROLLED)
    assert entry.username == world.bureau_a.username and entry.object_id == str(world.bureau_a.pk)


@pytest.mark.django_db
def test_a_wrong_first_code_keeps_the_device_pending(client, world):
    log_in_with_password_only(client, world.bureau_a)
    client.get(ENROL)
    response = client.post(ENROL, {"otp_token": "000000"})
    assert response.status_code == 200
    assert "动态验证码错误或已过期" in response.content.decode()
    assert not TOTPDevice.objects.get(user=world.bureau_a).confirmed
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_letters_instead_of_digits_get_a_clear_message(client, world):
    log_in_with_password_only(client, world.bureau_a)
    response = client.post(ENROL, {"otp_token": "abc"})
    assert "请输入身份验证器应用显示的6位数字" in response.content.decode()


@pytest.mark.django_db
def test_staff_with_a_device_but_an_unverified_session_are_asked_for_a_code_not_a_new_device(client, world):
    device = give_device(world.officer_a)
    client.force_login(world.officer_a)  # e.g. enrolled in another tab while this session was unverified
    page = client.get(ENROL)
    assert page.status_code == 200
    assert 'class="qr"' not in page.content.decode()  # no new QR code to scan
    assert TOTPDevice.objects.filter(user=world.officer_a).count() == 1
    response = client.post(ENROL, {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_verified_users_skip_enrolment(client, world, login):
    login(client, world.officer_a)
    assert client.get(ENROL).status_code == 302
