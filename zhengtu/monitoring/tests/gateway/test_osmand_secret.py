"""OsmAnd phones with a device secret: issued once through the API, then required over HTTP."""

import datetime as dt
import http.client

from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import AuditEntry
from zhengtu.monitoring.models import Position, Protocol
from zhengtu.monitoring.protocols.simulate import osmand_json, osmand_query
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.testing.factories import UserFactory

API = "/api/v1/monitoring"


def recent(seconds: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(seconds=seconds)).replace(microsecond=0)


def status_of(client: http.client.HTTPConnection, method: str, target: str, **kwargs) -> int:  # type: ignore[no-untyped-def]
    client.request(method, target, **kwargs)
    response = client.getresponse()
    response.read()
    return response.status


def test_with_a_secret_set_only_reports_carrying_it_are_stored(world, gateway, client, login):
    monitored = make_monitored(world, identifier="phone-42", protocol=Protocol.OSMAND, kind="phone")
    login(client, world.bureau_a)
    answer = client.post(f"{API}/devices/{monitored.wristband.pk}/osmand-secret/")
    assert answer.status_code == 200
    secret = answer.json()["secret"]
    assert AuditEntry.objects.filter(object_id=str(monitored.wristband.pk), detail__osmand_secret="issued").exists()

    phone = http.client.HTTPConnection("127.0.0.1", gateway.gateway.bound["osmand"], timeout=10)
    # Someone who knows only the identifier: refused, nothing stored.
    assert status_of(phone, "GET", osmand_query("phone-42", recent(90), *HOME)) == 403
    assert status_of(phone, "GET", osmand_query("phone-42", recent(80), *HOME, secret="guess")) == 403
    assert not Position.objects.exists()
    # The phone, with its secret as a parameter, in the JSON body, or as a bearer token.
    assert status_of(phone, "GET", osmand_query("phone-42", recent(60), *HOME, secret=secret)) == 200
    body = osmand_json("phone-42", recent(30), HOME[0] + 0.0002, HOME[1])
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}
    assert status_of(phone, "POST", "/", body=body, headers=headers) == 200
    assert Position.objects.filter(device=monitored.wristband).count() == 2


def test_without_a_secret_the_phone_works_as_before_and_others_cannot_issue_one(world, gateway, client, login):
    monitored = make_monitored(world, identifier="phone-43", protocol=Protocol.OSMAND, kind="phone")
    phone = http.client.HTTPConnection("127.0.0.1", gateway.gateway.bound["osmand"], timeout=10)
    assert status_of(phone, "GET", osmand_query("phone-43", recent(60), *HOME)) == 200
    login(client, UserFactory(organisation=world.county_b, role=Role.BUREAU_ADMIN))  # another county
    assert client.post(f"{API}/devices/{monitored.wristband.pk}/osmand-secret/").status_code == 404
    monitored.wristband.refresh_from_db()
    assert monitored.wristband.osmand_secret_hash == ""
