import pytest
from django.test import RequestFactory, override_settings
from rest_framework.request import Request

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, client_ip, record_event


def test_client_ip_is_normalised_and_garbage_is_dropped():
    factory = RequestFactory()
    assert client_ip(factory.get("/", REMOTE_ADDR="::ffff:10.0.0.1")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="2001:0db8:0000::0001")) == "2001:db8::1"
    assert client_ip(factory.get("/", REMOTE_ADDR="not-an-address")) is None


def test_x_real_ip_is_trusted_only_when_configured():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="203.0.113.5")
    assert client_ip(request) == "10.0.0.9"
    with override_settings(ZHENGTU_TRUST_X_REAL_IP=True):
        assert client_ip(request) == "203.0.113.5"
        bogus = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="'; DROP TABLE")
        assert client_ip(bogus) == "10.0.0.9"


@pytest.mark.django_db
def test_record_event_accepts_a_drf_request_with_its_user(world):
    http_request = RequestFactory().get("/api/v1/x/", REMOTE_ADDR="10.1.2.3")
    http_request.user = world.officer_a
    request = Request(http_request)
    request.user = world.officer_a
    entry = record_event(request, action=Action.VIEW, object_type="x", object_id="1")
    assert (entry.username, entry.ip_address, entry.organisation_path) == (
        world.officer_a.username,
        "10.1.2.3",
        world.office_a.path,
    )


@pytest.mark.django_db
def test_record_event_snapshots_the_actor():
    entry = record_event(Actor(username="purge_audit"), action=Action.OTHER)
    assert entry.username == "purge_audit" and entry.user_id_snapshot is None
    assert entry.compute_hash() == entry.entry_hash
