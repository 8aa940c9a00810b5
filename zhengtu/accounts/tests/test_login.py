import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import Action, AuditEntry, Outcome
from zhengtu.testing.factories import TEST_PASSWORD, UserFactory

from .totp import code_for, give_device, wrong_code

LOGIN = "/accounts/login/"


def post_login(client, username, password=TEST_PASSWORD, otp_token="", **extra):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": otp_token, **extra})


def last_entry(action):
    return AuditEntry.objects.filter(action=action).order_by("-sequence").first()


@pytest.mark.django_db
def test_login_page_has_the_fields_the_browser_tests_rely_on(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "password", "otp_token"):
        assert f'name="{name}"' in html
    assert 'type="submit"' in html
    assert reverse("accounts:login") == LOGIN


@pytest.mark.django_db
def test_staff_with_device_logs_in_with_the_current_code_and_is_verified(client, world):
    device = give_device(world.officer_a)
    response = post_login(client, world.officer_a.username, otp_token=code_for(device))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/").status_code == 200
    entry = last_entry(Action.LOGIN)
    assert entry.username == world.officer_a.username
    assert entry.organisation_path == world.office_a.path
    assert entry.detail["second_factor"] == "totp"
    assert entry.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_wrong_code_is_refused_in_chinese_counted_and_audited(client, world):
    device = give_device(world.officer_a)
    response = post_login(client, world.officer_a.username, otp_token=wrong_code(device))
    assert response.status_code == 200
    assert "动态验证码错误或已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username=world.officer_a.username)
    assert attempt.failures_since_start == 1
    entry = last_entry(Action.LOGIN_FAILED)
    assert entry.outcome == Outcome.FAILURE
    assert entry.detail == {"username_tried": world.officer_a.username, "reason": "otp_invalid", "path": LOGIN}
    assert entry.organisation_path == world.office_a.path  # the bureau of that account sees the attempt


@pytest.mark.django_db
def test_a_missing_code_counts_as_a_failure_so_passwords_cannot_be_probed(client, world):
    give_device(world.officer_a)
    response = post_login(client, world.officer_a.username, otp_token="")
    assert "请输入" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=world.officer_a.username).failures_since_start == 1


@pytest.mark.django_db
def test_wrong_password_and_unknown_user_get_the_same_message_and_are_audited(client, world):
    give_device(world.officer_a)
    wrong = post_login(client, world.officer_a.username, password="not-the-password")
    unknown = post_login(client, "nobody-here", password="whatever-it-is")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    entries = list(AuditEntry.objects.filter(action=Action.LOGIN_FAILED).order_by("sequence"))
    assert [e.detail["username_tried"] for e in entries] == [world.officer_a.username, "nobody-here"]
    assert [e.detail["reason"] for e in entries] == ["password", "password"]
    assert entries[1].user_id_snapshot is None and entries[1].username == "nobody-here"


@pytest.mark.django_db
def test_the_valid_username_is_kept_in_the_form_after_a_failure(client, world):
    response = post_login(client, world.officer_a.username, password="nope-nope-nope")
    assert f'value="{world.officer_a.username}"' in response.content.decode()


@pytest.mark.django_db
def test_staff_without_device_are_logged_in_unverified_and_sent_to_enrol(client, world):
    response = post_login(client, world.bureau_a.username)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))
    assert "otp_device_id" not in client.session
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:enrol"))
    # Even the account pages other than enrolment stay closed until the second factor is set up.
    users_page = client.get(reverse("accounts:user_list"))
    assert users_page.status_code == 302 and users_page["Location"].startswith(reverse("accounts:enrol"))


@pytest.mark.django_db
def test_supervisees_log_in_with_password_only(client, world):
    person = UserFactory(role=Role.SUPERVISEE, organisation=None)
    response = post_login(client, person.username)
    assert response.status_code == 302
    # Logged in: the workspace sends supervisees on to their phone app (zhengtu/selfservice).
    assert client.get("/")["Location"] == "/app/"
    assert last_entry(Action.LOGIN).detail["second_factor"] == "none"


@pytest.mark.django_db
def test_deactivated_accounts_cannot_log_in(client, world):
    device = give_device(world.officer_a)
    world.officer_a.is_active = False
    world.officer_a.save()
    response = post_login(client, world.officer_a.username, otp_token=code_for(device))
    assert "用户名或密码错误" in response.content.decode()


@pytest.mark.django_db
def test_next_is_followed_only_inside_the_site(client, world):
    device = give_device(world.officer_a)
    inside = post_login(client, world.officer_a.username, otp_token=code_for(device), next="/tasks/")
    assert inside["Location"] == "/tasks/"
    client.logout()
    # A fresh period for the second login without waiting 30 s: the replay guard and any drift the first
    # login learnt are reset (a "next period's" code failed at random when the first crossed a step).
    type(device).objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    device.refresh_from_db()
    outside = post_login(client, world.officer_a.username, otp_token=code_for(device), next="https://evil.example/")
    assert outside["Location"] == reverse("workspace:home")


@pytest.mark.django_db
def test_a_code_cannot_be_replayed(client, world):
    device = give_device(world.officer_a)
    code = code_for(device)
    assert post_login(client, world.officer_a.username, otp_token=code).status_code == 302
    client.logout()
    device.refresh_from_db()
    device.throttle_reset()
    replay = post_login(client, world.officer_a.username, otp_token=code)
    assert "动态验证码错误或已过期" in replay.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_is_audited(client, world, login):
    login(client, world.officer_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    entry = last_entry(Action.LOGOUT)
    assert entry.username == world.officer_a.username and entry.detail == {"reason": "user"}
