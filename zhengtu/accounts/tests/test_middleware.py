import time

import pytest
from django.test import override_settings
from django.urls import reverse

from zhengtu.accounts.middleware import LAST_SEEN_KEY
from zhengtu.audit.models import Action, AuditEntry

LOGIN = reverse("accounts:login")


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - minutes * 60
    session.save()


@pytest.mark.django_db
def test_a_session_idle_past_the_limit_is_logged_out_and_told_why(client, world, login):
    login(client, world.officer_a)
    assert client.get("/").status_code == 200
    idle_for(client, 31)
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/tasks/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "长时间无操作" in page.content.decode()
    entry = AuditEntry.objects.filter(action=Action.LOGOUT).get()
    assert entry.detail == {"reason": "idle_timeout"} and entry.username == world.officer_a.username


@pytest.mark.django_db
def test_activity_within_the_limit_keeps_the_session(client, world, login):
    login(client, world.officer_a)
    idle_for(client, 29)
    assert client.get("/").status_code == 200
    # The request refreshed the last-seen time.
    assert time.time() - client.session[LAST_SEEN_KEY] < 5


@pytest.mark.django_db
@override_settings(ZHENGTU_IDLE_TIMEOUT_MINUTES=5)
def test_the_limit_is_a_setting(client, world, login):
    login(client, world.officer_a)
    idle_for(client, 6)
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_an_idle_htmx_request_is_redirected_as_a_whole_page(client, world, login):
    login(client, world.officer_a)
    idle_for(client, 31)
    response = client.get("/tasks/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN


@pytest.mark.django_db
def test_an_idle_api_session_gets_the_api_answer_not_a_redirect(client, world, login):
    login(client, world.officer_a)
    idle_for(client, 31)
    response = client.get("/api/v1/auth/tokens/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


@pytest.mark.django_db
def test_unverified_staff_are_redirected_to_enrol_with_the_page_they_wanted(client, world):
    client.force_login(world.officer_a)
    response = client.get("/tasks/?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:enrol')}?next=%2Ftasks%2F%3Fx%3D1"
    # The pages needed to get verified stay open.
    assert client.get(reverse("accounts:enrol")).status_code == 200
    assert client.get(reverse("accounts:password_policy")).status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_unverified_htmx_requests_get_an_hx_redirect(client, world):
    client.force_login(world.officer_a)
    response = client.get("/tasks/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("accounts:enrol"))
