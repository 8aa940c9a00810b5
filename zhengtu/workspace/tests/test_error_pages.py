"""403, 404, 500 and an expired form answer in Chinese, inside the layout, with a way back."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_explained_in_chinese_inside_the_layout(client, world, login) -> None:
    login(client, world.officer_a)
    response = client.get("/supervisees/999999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回首页" in page
    assert 'class="sidebar"' in page  # the person keeps their menu


def test_a_refused_page_says_why_in_chinese(client, world, login) -> None:
    login(client, world.social_worker_a)
    response = client.get("/monitoring/")
    assert response.status_code == 403
    assert "您无权打开此页面" in response.content.decode()
    assert "Forbidden" not in response.content.decode()


def test_a_server_error_page_is_chinese_and_needs_no_database() -> None:
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = server_error(request)
    assert response.status_code == 500
    assert "服务器出现错误" in response.content.decode()


def test_an_expired_form_explains_that_nothing_was_saved(world, login) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, world.officer_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
