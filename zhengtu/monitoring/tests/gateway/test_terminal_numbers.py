"""JT/T 808 terminal numbers with leading zeros, as real wristbands send them.

The frames are written out byte for byte (header, BCD terminal number 01 20 76 46 32 79, body,
XOR checksum), as captured from a wristband of terminal 012076463279; they are not built by the
simulator, so a change in the encoders cannot hide a change in the decoder.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhengtu.audit.services import Actor
from zhengtu.monitoring.models import Device, Position, UnknownDevice
from zhengtu.monitoring.protocols import jt808
from zhengtu.monitoring.protocols.jt808 import normalise_terminal_number
from zhengtu.monitoring.services import register_device
from zhengtu.monitoring.tests.conftest import make_monitored
from zhengtu.monitoring.tests.gateway.conftest import receive_jt808

# 0x0100 registration: province 44, city 300, maker "70111", model "KB-100", terminal id "5F2C2A1".
REGISTER = bytes.fromhex(
    "7e010000250120764632790001002c012c37303131314b422d313030000000000000000000000000000035463243324131001d7e"
)
# 0x0200 location, 2013 header, serial 3: 27.908300 N 110.593900 E, 3.6 km/h, course 90,
# 2026-12-06 09:02:03 Beijing time, 9 satellites.
LOCATION = bytes.fromhex("7e0200001f0120764632790003000000000000000201a9d8cc0697876c00000024005a261206090203310109fd7e")
# The same report from the same terminal after a firmware update to the 2019 header (10 BCD bytes).
LOCATION_2019 = bytes.fromhex(
    "7e0200401f01000000000120764632790004000000000000000201a9d8cc0697876c00000024005a261206090203310109bb7e"
)


def auth_frame(code: str) -> bytes:
    """0x0102 of the same terminal, serial 2 (the code differs per installation)."""
    payload = bytes.fromhex("01020000") + bytes([len(code)]) + bytes.fromhex("0120764632790002") + code.encode()
    payload = payload[:2] + len(code).to_bytes(2, "big") + payload[5:]
    return b"\x7e" + jt808.escape(payload + bytes([jt808.xor_checksum(payload)])) + b"\x7e"


def test_held_frames_decode_to_the_number_with_its_leading_zero():
    header, decoded = jt808.decode(LOCATION)
    assert header.identifier == "012076463279"
    fix = decoded.messages[0].fixes[0]
    assert fix.time == dt.datetime(2026, 12, 6, 1, 2, 3, tzinfo=dt.UTC)
    assert (fix.latitude, fix.longitude, fix.speed_kmh, fix.course, fix.satellites) == (
        27.9083,
        110.5939,
        3.6,
        90.0,
        9,
    )
    assert jt808.decode(LOCATION_2019)[0].identifier == "012076463279"
    assert jt808.decode(REGISTER)[0].identifier == "012076463279"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12076463279", "012076463279"),
        ("012076463279", "012076463279"),
        (" 0120 7646 3279 ", "012076463279"),
        ("00000000012076463279", "012076463279"),
        ("12345678901234567890", "12345678901234567890"),
    ],
)
def test_numbers_are_normalised_one_way(typed, stored):
    assert normalise_terminal_number(typed) == stored


def test_a_number_with_letters_is_refused_with_a_clear_message(world):
    with pytest.raises(ValidationError) as error:
        register_device(
            actor=Actor(user=world.bureau_a),
            identifier="0120-76463279x",
            kind="wristband",
            protocol="jt808",
            organisation=world.county_a,
        )
    assert "1 到 20 位数字" in str(error.value) or "1 to 20 digits" in str(error.value)


def test_a_device_typed_without_its_zero_receives_the_real_frames(world, gateway):
    monitored = make_monitored(world, identifier="12076463279")  # as an administrator typed it
    assert monitored.wristband.identifier == "012076463279"
    with gateway.connect("jt808") as sock:
        sock.sendall(REGISTER)
        header, body = receive_jt808(sock)
        assert header.message_id == jt808.MSG_REGISTER_REPLY and body[2] == jt808.REGISTER_OK
        assert header.phone_bcd == bytes.fromhex("012076463279")  # answered to the same number
        sock.sendall(auth_frame(body[3:].decode()))
        assert receive_jt808(sock)[1] == bytes.fromhex("0002010200")
        sock.sendall(LOCATION)
        assert receive_jt808(sock)[1] == bytes.fromhex("0003020000")
        sock.sendall(LOCATION_2019)
        header, body = receive_jt808(sock)
        assert header.version == 1 and body[-1] == jt808.RESULT_OK
    # The second frame repeats the first fix: one position, not two.
    assert Position.objects.filter(device=monitored.wristband).count() == 1
    assert not UnknownDevice.objects.exists()


def test_the_migration_rewrites_existing_numbers(world):
    now = timezone.now()
    old = Device.objects.create(
        identifier="12076463279", kind="wristband", protocol="jt808", organisation=world.county_a
    )
    watch = Device.objects.create(identifier="3456789", kind="wristband", protocol="watch", organisation=world.county_a)
    UnknownDevice.objects.create(
        protocol="jt808", identifier="13800000001", first_seen_at=now, last_seen_at=now, frames=3
    )
    UnknownDevice.objects.create(
        protocol="jt808", identifier="013800000001", first_seen_at=now, last_seen_at=now, frames=2
    )
    migration = importlib.import_module("zhengtu.monitoring.migrations.0004_normalise_jt808_terminal_numbers")
    migration.forwards(apps, None)
    old.refresh_from_db()
    watch.refresh_from_db()
    assert old.identifier == "012076463279"
    assert watch.identifier == "3456789"  # other protocols keep their identifiers
    merged = UnknownDevice.objects.get(protocol="jt808")
    assert (merged.identifier, merged.frames) == ("013800000001", 5)
