import pytest
from django.urls import reverse

from zhengtu.audit.models import Action, AuditEntry
from zhengtu.testing.factories import TEST_PASSWORD

CHANGE = reverse("accounts:password_change")


@pytest.mark.django_db
def test_the_password_policy_is_documented_for_everyone(client):
    page = client.get(reverse("accounts:password_policy")).content.decode()
    assert "10" in page  # the minimum length from settings
    assert "5 次" in page and "30 分钟" in page  # lockout
    assert "双因素登录" in page


@pytest.mark.django_db
def test_the_change_page_shows_the_policy_in_the_help_text(client, world, login):
    login(client, world.officer_a)
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "10" in page.content.decode()


@pytest.mark.django_db
def test_a_wrong_old_password_is_refused(client, world, login):
    login(client, world.officer_a)
    response = client.post(
        CHANGE, {"old_password": "nope", "new_password1": "lantern-orchid-47", "new_password2": "lantern-orchid-47"}
    )
    assert response.status_code == 200
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_with_the_rule_it_breaks(client, world, login):
    login(client, world.officer_a)
    response = client.post(CHANGE, {"old_password": TEST_PASSWORD, "new_password1": "12345", "new_password2": "12345"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码长度太短" in html or "至少" in html
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_changing_the_password_keeps_the_session_and_is_audited(client, world, login):
    login(client, world.officer_a)
    new = "lantern-orchid-47-river"
    response = client.post(CHANGE, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(new)
    assert client.get("/").status_code == 200  # still logged in, still verified
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_id=str(world.officer_a.pk))
    assert entry.detail == {"change": "password"}


@pytest.mark.django_db
def test_the_account_page_shows_two_factor_state_and_tokens(client, world, login):
    login(client, world.officer_a)
    html = client.get(reverse("accounts:account")).content.decode()
    assert world.officer_a.username in html
    assert "已设置" in html
