"""/api/v1/reintegration/needs/: list, create and read, scoped; outsiders get 404 and see nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from zhengtu.reintegration.models import Need

from .conftest import Reint, need_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)  # type: ignore[arg-type]
    return client


def test_list_create_and_read(reint: Reint) -> None:
    world = reint.world
    need_for(world.officer_b, reint.person_b)
    api = _client(world.officer_a)
    created = api.post(
        "/api/v1/reintegration/needs/",
        {"supervisee": reint.person_a.pk, "kind": "temporary_relief", "description": "房屋受损", "found_on": TODAY},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "open" and created.json()["supervisee_name"] == "王建华"
    listed = api.get("/api/v1/reintegration/needs/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["supervisee_name"] for row in rows] == ["王建华"]
    read = api.get(f"/api/v1/reintegration/needs/{created.json()['id']}/")
    assert read.status_code == 200 and read.json()["kind"] == "temporary_relief"


def test_an_outsider_reads_and_creates_nothing(reint: Reint) -> None:
    need = need_for(reint.world.officer_a, reint.person_a)
    api = _client(reint.world.officer_b)
    assert api.get(f"/api/v1/reintegration/needs/{need.pk}/").status_code == 404
    listed = api.get("/api/v1/reintegration/needs/").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    refused = api.post(
        "/api/v1/reintegration/needs/",
        {"supervisee": reint.person_a.pk, "kind": "schooling", "description": "x", "found_on": TODAY},
        format="json",
    )
    assert refused.status_code == 404
    assert Need.objects.count() == 1


def test_bad_input_is_a_400_with_the_reason(reint: Reint) -> None:
    api = _client(reint.world.officer_a)
    response = api.post(
        "/api/v1/reintegration/needs/",
        {"supervisee": reint.person_a.pk, "kind": "schooling", "description": "  ", "found_on": TODAY},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_roles_without_the_capability_are_refused(reint: Reint) -> None:
    from zhengtu.accounts.roles import Role
    from zhengtu.testing.factories import UserFactory

    inspector = UserFactory(organisation=reint.world.county_a, role=Role.INSPECTOR)
    assert _client(inspector).get("/api/v1/reintegration/needs/").status_code == 403
