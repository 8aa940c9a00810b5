import pytest
from django.test import Client

MINE_URL = "/api/v1/auth/tokens/"


@pytest.mark.django_db
def test_a_verified_browser_session_may_use_the_api(client, world, login):
    login(client, world.officer_a)
    assert client.get(MINE_URL).status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_second_factor_is_refused(client, world):
    client.force_login(world.officer_a)
    response = client.get(MINE_URL)
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "请先在浏览器中完成双因素登录。"}


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(world, login):
    client = Client(enforce_csrf_checks=True)
    login(client, world.officer_a)
    response = client.post("/api/v1/auth/token/revoke/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.django_db
def test_not_found_answers_in_the_same_shape(client, world, login):
    login(client, world.officer_a)
    response = client.delete(f"{MINE_URL}999999/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
