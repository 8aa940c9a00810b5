import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.api.models import ApiToken
from zhengtu.api.services import issue_token
from zhengtu.audit.models import Action, AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.testing.factories import TEST_PASSWORD, UserFactory

from .totp import code_for, give_device

NEW_PASSWORD = "lantern-orchid-47-river"


@pytest.fixture
def bureau_b(world):
    return UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN)


def new_account_form(world, **overrides):
    data = {
        "username": "wang.fang",
        "full_name": "王芳",
        "role": Role.OFFICE_OFFICER,
        "organisation": world.office_a.pk,
        "title": "科员",
        "phone": "0745-3222222",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_list_shows_accounts_of_the_subtree_only(client, world, login):
    login(client, world.bureau_a)
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert world.officer_a.username in html and world.social_worker_a.username in html
    assert world.officer_b.username not in html


@pytest.mark.django_db
def test_the_list_filters_by_role_and_name(client, world, login):
    login(client, world.bureau_a)
    html = client.get(reverse("accounts:user_list"), {"role": Role.SOCIAL_WORKER}).content.decode()
    assert world.social_worker_a.username in html and world.officer_a.username not in html
    html = client.get(reverse("accounts:user_list"), {"q": world.colleague_a.username}).content.decode()
    assert world.colleague_a.username in html and world.officer_a.username + "<" not in html


@pytest.mark.django_db
def test_officers_without_the_capability_are_refused(client, world, login):
    login(client, world.officer_a)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[world.colleague_a.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, method",
    [
        ("accounts:user_detail", "get"),
        ("accounts:user_detail", "post"),
        ("accounts:user_set_active", "post"),
        ("accounts:user_reset_two_factor", "post"),
        ("accounts:user_set_password", "get"),
        ("accounts:user_set_password", "post"),
    ],
)
def test_outsider_bureau_gets_404_for_every_page_about_another_countys_account(
    client, world, login, bureau_b, name, method
):
    give_device(world.officer_a)
    login(client, bureau_b)
    url = reverse(name, args=[world.officer_a.pk])
    response = getattr(client, method)(
        url, {"active": "0", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 404
    world.officer_a.refresh_from_db()
    assert world.officer_a.is_active
    assert world.officer_a.check_password(TEST_PASSWORD)
    assert TOTPDevice.objects.filter(user=world.officer_a).exists()


@pytest.mark.django_db
def test_creating_an_account_inside_the_subtree(client, world, login):
    login(client, world.bureau_a)
    response = client.post(reverse("accounts:user_create"), new_account_form(world))
    user = User.objects.get(username="wang.fang")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.organisation == world.office_a and user.role == Role.OFFICE_OFFICER
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="accounts.user")
    assert entry.username == world.bureau_a.username


@pytest.mark.django_db
def test_an_organisation_outside_the_subtree_cannot_be_chosen(client, world, login):
    login(client, world.bureau_a)
    response = client.post(reverse("accounts:user_create"), new_account_form(world, organisation=world.office_b.pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="wang.fang").exists()


@pytest.mark.django_db
def test_role_and_organisation_must_fit_with_a_chinese_message(client, world, login):
    login(client, world.bureau_a)
    response = client.post(
        reverse("accounts:user_create"),
        new_account_form(world, role=Role.SOCIAL_WORKER, organisation=world.office_a.pk),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "不能隶属于" in html
    assert 'value="wang.fang"' in html  # what was valid is kept
    assert not User.objects.filter(username="wang.fang").exists()


@pytest.mark.django_db
def test_duplicate_usernames_and_weak_passwords_are_refused(client, world, login):
    login(client, world.bureau_a)
    taken = client.post(reverse("accounts:user_create"), new_account_form(world, username=world.officer_a.username))
    assert "该用户名已被使用" in taken.content.decode()
    weak = client.post(
        reverse("accounts:user_create"), new_account_form(world, new_password1="wang.fang1", new_password2="wang.fang1")
    )
    assert weak.status_code == 200
    assert not User.objects.filter(username="wang.fang").exists()


@pytest.mark.django_db
def test_supervisee_accounts_are_not_made_here(client, world, login):
    login(client, world.bureau_a)
    response = client.post(reverse("accounts:user_create"), new_account_form(world, role=Role.SUPERVISEE))
    assert response.status_code == 200
    assert not User.objects.filter(username="wang.fang").exists()


@pytest.mark.django_db
def test_editing_an_account(client, world, login):
    login(client, world.bureau_a)
    data = {
        "full_name": "李明",
        "role": Role.OFFICE_OFFICER,
        "organisation": world.office_a2.pk,
        "title": "所长",
        "phone": "",
    }
    response = client.post(reverse("accounts:user_detail", args=[world.officer_a.pk]), data)
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert (world.officer_a.full_name, world.officer_a.organisation, world.officer_a.title) == (
        "李明",
        world.office_a2,
        "所长",
    )
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_id=str(world.officer_a.pk))
    assert set(entry.detail["fields"]) == {"full_name", "organisation", "title"}


@pytest.mark.django_db
def test_a_manager_cannot_change_their_own_role(client, world, login):
    login(client, world.bureau_a)
    data = {"full_name": "x", "role": Role.COMMAND_CENTER, "organisation": world.county_a.pk, "title": "", "phone": ""}
    response = client.post(reverse("accounts:user_detail", args=[world.bureau_a.pk]), data)
    assert response.status_code == 200
    assert "上级管理员" in response.content.decode()
    world.bureau_a.refresh_from_db()
    assert world.bureau_a.role == Role.BUREAU_ADMIN


@pytest.mark.django_db
def test_deactivation_stops_logins_and_api_tokens(client, world, login):
    device = give_device(world.officer_a)
    issued = issue_token(actor=Actor(), user=world.officer_a)
    login(client, world.bureau_a)
    response = client.post(reverse("accounts:user_set_active", args=[world.officer_a.pk]), {"active": "0"})
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert not world.officer_a.is_active
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    other = client.__class__()
    page = other.post(
        reverse("accounts:login"),
        {"username": world.officer_a.username, "password": TEST_PASSWORD, "otp_token": code_for(device)},
    )
    assert "用户名或密码错误" in page.content.decode()
    client.post(reverse("accounts:user_set_active", args=[world.officer_a.pk]), {"active": "1"})
    world.officer_a.refresh_from_db()
    assert world.officer_a.is_active


@pytest.mark.django_db
def test_managers_cannot_deactivate_themselves(client, world, login):
    login(client, world.bureau_a)
    response = client.post(reverse("accounts:user_set_active", args=[world.bureau_a.pk]), {"active": "0"}, follow=True)
    assert "不能停用自己的账户" in response.content.decode()
    world.bureau_a.refresh_from_db()
    assert world.bureau_a.is_active


@pytest.mark.django_db
def test_resetting_two_factor_removes_devices_and_tokens_and_is_audited(client, world, login):
    give_device(world.officer_a)
    issued = issue_token(actor=Actor(), user=world.officer_a)
    login(client, world.bureau_a)
    response = client.post(reverse("accounts:user_reset_two_factor", args=[world.officer_a.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.officer_a).exists()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    entry = AuditEntry.objects.filter(action=Action.UPDATE, detail__change="two_factor_reset").get()
    assert entry.detail["devices"] == 1 and entry.username == world.bureau_a.username


@pytest.mark.django_db
def test_setting_a_new_password(client, world, login):
    login(client, world.bureau_a)
    url = reverse("accounts:user_set_password", args=[world.officer_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(NEW_PASSWORD)
    mismatch = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "两次输入的密码不一致" in mismatch.content.decode()


@pytest.mark.django_db
def test_system_administrators_are_out_of_reach_of_bureau_admins(client, world, login):
    root = UserFactory(organisation=world.county_a, role=Role.BUREAU_ADMIN, is_superuser=True)
    login(client, world.bureau_a)
    assert client.get(reverse("accounts:user_detail", args=[root.pk])).status_code == 404
