"""JT/T 808 over real TCP: registration and authentication before any location is accepted."""

import datetime as dt

from django.utils import timezone

from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.monitoring import directory
from zhengtu.monitoring.models import DeviceState, Position
from zhengtu.monitoring.protocols import jt808
from zhengtu.monitoring.protocols.simulate import jt808_auth, jt808_heartbeat, jt808_location, jt808_register
from zhengtu.monitoring.services import reset_jt808_registration, update_device
from zhengtu.monitoring.tests.conftest import HOME, make_monitored
from zhengtu.monitoring.tests.gateway.conftest import authenticate_jt808, receive_jt808

NUMBER = "13912345678"


def recent(seconds: int = 30) -> dt.datetime:
    return (timezone.now() - dt.timedelta(seconds=seconds)).replace(microsecond=0)


def test_a_location_without_authentication_is_refused_and_nothing_is_stored(world, gateway):
    make_monitored(world, identifier=NUMBER)
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_location(NUMBER, recent(), *HOME, serial=5, alarm_bits=1))
        header, body = receive_jt808(sock)
        # General response to 0x0200 with the serial echoed and result 1 (failed).
        assert (header.message_id, body) == (jt808.MSG_PLATFORM_REPLY, bytes.fromhex("0005020001"))
        sock.sendall(jt808_heartbeat(NUMBER, serial=6))
        _header, body = receive_jt808(sock)
        assert body[-1] == jt808.RESULT_FAILED
    assert not Position.objects.exists()
    assert not DeviceState.objects.exists()  # not even "last seen": a forged heartbeat hides an offline device


def test_register_then_authenticate_then_locations_are_stored(world, gateway):
    monitored = make_monitored(world, identifier=NUMBER)
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_register(NUMBER, serial=1))
        header, body = receive_jt808(sock)
        assert header.message_id == jt808.MSG_REGISTER_REPLY
        code = body[3:].decode()
        assert body[2] == jt808.REGISTER_OK and code == monitored.wristband.auth_code
        # Authentication and the first location in one segment: the location waits for the answer.
        sock.sendall(jt808_auth(NUMBER, code, serial=2) + jt808_location(NUMBER, recent(), *HOME, serial=3))
        replies = [receive_jt808(sock)[1] for _ in range(2)]
    assert replies == [bytes.fromhex("0002010200"), bytes.fromhex("0003020000")]
    assert Position.objects.filter(device=monitored.wristband).count() == 1


def test_authentication_holds_for_one_connection_only(world, gateway):
    monitored = make_monitored(world, identifier=NUMBER)
    with gateway.connect("jt808") as sock:
        authenticate_jt808(sock, NUMBER, monitored.wristband.auth_code)
    with gateway.connect("jt808") as sock:  # a new connection starts unauthenticated
        sock.sendall(jt808_location(NUMBER, recent(), *HOME, serial=7))
        assert receive_jt808(sock)[1][-1] == jt808.RESULT_FAILED
    assert not Position.objects.exists()


def test_a_wrong_code_does_not_authenticate(world, gateway):
    make_monitored(world, identifier=NUMBER)
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_auth(NUMBER, "guess", serial=1))
        assert receive_jt808(sock)[1][-1] == jt808.RESULT_FAILED
        sock.sendall(jt808_location(NUMBER, recent(), *HOME, serial=2))
        assert receive_jt808(sock)[1][-1] == jt808.RESULT_FAILED
    assert not Position.objects.exists()


def test_the_code_is_handed_out_once_until_an_administrator_resets_it(world, gateway):
    monitored = make_monitored(world, identifier=NUMBER)
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_register(NUMBER, serial=1))
        assert receive_jt808(sock)[1][2] == jt808.REGISTER_OK
    with gateway.connect("jt808") as sock:  # someone else who knows the number
        sock.sendall(jt808_register(NUMBER, serial=1))
        _header, body = receive_jt808(sock)
        assert body == (1).to_bytes(2, "big") + bytes([3])  # terminal already registered, no code
    old_code = monitored.wristband.auth_code
    device = reset_jt808_registration(actor=Actor(user=world.bureau_a), device=monitored.wristband)
    directory.invalidate()
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_register(NUMBER, serial=1))
        _header, body = receive_jt808(sock)
        assert body[2] == jt808.REGISTER_OK and body[3:].decode() == device.auth_code != old_code
    assert AuditEntry.objects.filter(object_id=str(device.pk), detail__jt808_registration="reset").exists()


def test_a_device_set_to_skip_authentication_is_accepted_and_the_change_audited(world, gateway):
    monitored = make_monitored(world, identifier=NUMBER)
    update_device(actor=Actor(user=world.bureau_a), device=monitored.wristband, jt808_auth_optional=True)
    directory.invalidate()
    with gateway.connect("jt808") as sock:
        sock.sendall(jt808_location(NUMBER, recent(), *HOME, serial=4))
        assert receive_jt808(sock)[1] == bytes.fromhex("0004020000")
    assert Position.objects.filter(device=monitored.wristband).count() == 1
    entry = AuditEntry.objects.get(object_id=str(monitored.wristband.pk), detail__jt808_auth_optional=True)
    assert entry.user_id_snapshot == world.bureau_a.pk
