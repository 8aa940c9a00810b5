"""Home dashboards per role, the wall's figures and the offline base map."""

from __future__ import annotations

import pytest

from zhengtu.accounts.roles import Role
from zhengtu.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_officer_home_shows_their_people_linking_to_the_filtered_registry(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.world.officer_a)
    page = client.get("/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "/supervisees/?status=under_supervision&amp;supervision_level=strict" in text
    dashboard = client.get("/api/v1/dashboard/").json()
    people = dashboard["panels"][0]["tiles"]
    # status is read today, from the registry: office_a has 3 under supervision (one only from 2 December).
    assert people[0]["value"] == 3
    flagged = [tile for tile in dashboard["panels"][1]["tiles"] if "标记" in str(tile.get("label", ""))]
    assert all(tile["value"] == 0 for tile in flagged)  # app check-ins are counted now: none flagged here


def test_bureau_home_lists_offices_and_is_scoped(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.world.bureau_a)
    text = client.get("/").content.decode()
    assert "卢峰司法所" in text and "辰阳司法所" not in text


def test_agency_manager_and_association_get_their_own_dashboards(stats, client, login):  # type: ignore[no-untyped-def]
    manager = UserFactory(organisation=stats.world.agency_a, role=Role.AGENCY_MANAGER)
    login(client, manager)
    panels = client.get("/api/v1/dashboard/").json()["panels"]
    assert len(panels[0]["headers"]) == 5  # project, time elapsed, targets completed, behind, budget spent
    login(client, stats.prosecutor_a)
    assert client.get("/api/v1/dashboard/").status_code == 404  # no dashboard: the welcome card


def test_wall_figures_are_scoped_and_link_to_lists(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.command_a)
    assert client.get("/command/wall/").status_code == 200
    figures = client.get("/command/wall/figures/").json()
    under = next(item for item in figures["status"] if item["key"] == "under_supervision")
    assert under["value"] == 4 and under["url"].startswith("/supervisees/?status=under_supervision")
    assert sum(item["value"] for item in figures["sentence_type"]) == 4
    assert figures["missed_spot_checks"]["value"] == 0  # counted from the app's spot checks: none missed here
    login(client, stats.world.officer_b)
    other = client.get("/command/wall/figures/").json()
    assert next(i for i in other["status"] if i["key"] == "under_supervision")["value"] == 2


def test_wall_refused_to_social_workers(stats, client, login):  # type: ignore[no-untyped-def]
    login(client, stats.world.social_worker_a)
    assert client.get("/command/wall/").status_code == 403
    assert client.get("/command/wall/figures/").status_code == 403


def test_offline_base_map_is_the_default_and_focuses_on_the_users_county(stats, client, login, settings):  # type: ignore[no-untyped-def]
    from zhengtu.monitoring.rules import tile_source
    from zhengtu.orgs.models import Division

    assert tile_source()["url"] == ""  # no external tile server unless a site opts in
    Division.objects.get_or_create(code="431224", defaults={"name": "溆浦县"})
    world = stats.world
    world.county_a.division_id = "431224"
    world.county_a.save(update_fields=["division"])
    login(client, world.bureau_a)
    info = client.get("/command/basemap/").json()
    assert info["focus"] == ["431224"]
    assert info["files"][-1].endswith("command/basemap/43.json")
    settings.ZHENGTU_MONITORING_TILES = "amap"
    assert tile_source()["crs"] == "gcj02"


def test_alert_detail_shows_where_it_happened_on_a_map(stats, client, login):  # type: ignore[no-untyped-def]
    from zhengtu.monitoring.alerts import raise_alert
    from zhengtu.monitoring.models import AlertKind

    person = stats.people_a[0]
    alert = raise_alert(
        kind=AlertKind.SOS, supervisee_id=person.pk, supervisee_name=person.name, officer_id=None,
        latitude=27.95, longitude=110.62, detail="SOS",
    )  # fmt: skip
    login(client, stats.world.officer_a)
    page = client.get(f"/monitoring/alerts/{alert.pk}/")
    assert page.status_code == 200
    assert 'id="alert-location-map"' in page.content.decode()
    assert 'data-point="27.95,110.62"' in page.content.decode()
    login(client, stats.world.officer_b)
    assert client.get(f"/monitoring/alerts/{alert.pk}/").status_code == 404
