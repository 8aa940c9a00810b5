"""Device bindings honour the electronic-monitoring approvals of the supervision module (law art. 29).

Inside an approved period (extensions joined) a binding is accepted and cites the approval; outside
it, or while the request waits or after it was refused, it is refused with a message a clerk
understands. The manual binding by a bureau administrator remains only for people Zhengtu holds no
monitoring request for.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.monitoring.models import Device, DeviceBinding, DeviceKind, Protocol
from zhengtu.monitoring.periods import approved_window
from zhengtu.monitoring.services import bind_device, register_device
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervision.models import MonitoringApproval, MonitoringSituation
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.monitoring import latest_period_end, request_monitoring
from zhengtu.testing.factories import UserFactory, make_supervisee

pytestmark = pytest.mark.django_db


def local(day: dt.date, hour: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def person(world) -> Supervisee:  # type: ignore[no-untyped-def]
    return make_supervisee(world.office_a, responsible_officer=world.officer_a, status=Status.UNDER_SUPERVISION)


@pytest.fixture
def wristband(world) -> Device:  # type: ignore[no-untyped-def]
    return register_device(
        actor=Actor(user=world.bureau_a), identifier="13900000077", kind=DeviceKind.WRISTBAND,
        protocol=Protocol.JT808, organisation=world.county_a,
    )  # fmt: skip


@pytest.fixture
def duty(world):  # type: ignore[no-untyped-def]
    """Command-center duty staff: may manage devices, may not approve at bureau level."""
    return UserFactory(organisation=world.county_a, role=Role.COMMAND_CENTER)


def request(world, person: Supervisee, *, extends: MonitoringApproval | None = None) -> MonitoringApproval:  # type: ignore[no-untyped-def]
    start = extends.end_date + dt.timedelta(days=1) if extends else timezone.localdate()
    return request_monitoring(
        actor=Actor(user=world.officer_a), supervisee=person, situation=MonitoringSituation.REFUSED_TO_REPORT,
        facts="多次拒不报告活动情况，已被警告", start_date=start, end_date=latest_period_end(start, 3), extends=extends,
    )  # fmt: skip


def approve(world, monitoring: MonitoringApproval) -> MonitoringApproval:  # type: ignore[no-untyped-def]
    decide(actor=Actor(user=world.bureau_a), request=monitoring.approval, approve=True, comment="同意")
    monitoring.refresh_from_db()
    return monitoring


def test_a_binding_inside_the_approved_period_is_accepted_and_cites_it(world, person, wristband, duty) -> None:  # type: ignore[no-untyped-def]
    monitoring = approve(world, request(world, person))
    start, after_last = local(monitoring.start_date), local(monitoring.end_date + dt.timedelta(days=1))
    assert approved_window(person, timezone.now()) == (start, after_last)
    binding = bind_device(
        actor=Actor(user=duty), device=wristband, supervisee=person, starts_at=timezone.now(), ends_at=after_last
    )
    assert monitoring.start_date.isoformat() in binding.approval_reference
    assert monitoring.end_date.isoformat() in binding.approval_reference


def test_a_binding_beyond_the_approved_period_is_refused_with_its_last_day(world, person, wristband) -> None:  # type: ignore[no-untyped-def]
    monitoring = approve(world, request(world, person))
    with pytest.raises(ValidationError) as error:
        bind_device(
            actor=Actor(user=world.bureau_a), device=wristband, supervisee=person, starts_at=timezone.now(),
            ends_at=local(monitoring.end_date + dt.timedelta(days=1), 12),
        )  # fmt: skip
    assert monitoring.end_date.isoformat() in error.value.message_dict["ends_at"][0]
    assert "批准" in error.value.message_dict["ends_at"][0]
    with pytest.raises(ValidationError) as error:
        bind_device(
            actor=Actor(user=world.bureau_a), device=wristband, supervisee=person,
            starts_at=local(monitoring.end_date + dt.timedelta(days=2)),
            ends_at=local(monitoring.end_date + dt.timedelta(days=20)),
        )  # fmt: skip
    assert monitoring.start_date.isoformat() in error.value.message_dict["starts_at"][0]
    assert not DeviceBinding.objects.exists()


def test_an_approved_extension_carries_the_binding_on(world, person, wristband) -> None:  # type: ignore[no-untyped-def]
    first = approve(world, request(world, person))
    extension = approve(world, request(world, person, extends=first))
    binding = bind_device(
        actor=Actor(user=world.bureau_a), device=wristband, supervisee=person, starts_at=timezone.now(),
        ends_at=local(extension.end_date, 18),
    )  # fmt: skip
    assert binding.ends_at > local(first.end_date + dt.timedelta(days=1))  # longer than one 3-month period


def test_a_pending_or_refused_request_cannot_be_bypassed_by_hand(world, person, wristband) -> None:  # type: ignore[no-untyped-def]
    pending = request(world, person)
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        bind_device(
            actor=Actor(user=world.bureau_a), device=wristband, supervisee=person, starts_at=now,
            ends_at=now + dt.timedelta(days=30), approval_reference="溆矫定审〔2026〕9号",
        )  # fmt: skip
    assert "审批" in error.value.message_dict["starts_at"][0]
    decide(actor=Actor(user=world.bureau_a), request=pending.approval, approve=False, comment="不符合法定情形")
    with pytest.raises(ValidationError) as error:
        bind_device(
            actor=Actor(user=world.bureau_a), device=wristband, supervisee=person, starts_at=now,
            ends_at=now + dt.timedelta(days=30),
        )  # fmt: skip
    assert "未批准" in error.value.message_dict["starts_at"][0]
    assert not DeviceBinding.objects.exists()


def test_without_any_request_only_the_bureau_binds_by_hand_for_at_most_one_period(
    world, person, wristband, duty
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        bind_device(
            actor=Actor(user=duty), device=wristband, supervisee=person, starts_at=now,
            ends_at=now + dt.timedelta(days=30),
        )  # fmt: skip
    assert (
        "县级" in error.value.message_dict["supervisee"][0]
        or "社区矫正机构" in error.value.message_dict["supervisee"][0]
    )
    with pytest.raises(ValidationError) as error:
        bind_device(
            actor=Actor(user=world.bureau_a), device=wristband, supervisee=person, starts_at=now,
            ends_at=now + relativedelta(months=3) + dt.timedelta(days=2),
        )  # fmt: skip
    assert "ends_at" in error.value.message_dict
    binding = bind_device(
        actor=Actor(user=world.bureau_a), device=wristband, supervisee=person, starts_at=now,
        ends_at=now + dt.timedelta(days=30), approval_reference="溆矫定审〔2026〕9号",
    )  # fmt: skip
    assert binding.approval_reference == "溆矫定审〔2026〕9号"


def test_the_device_page_explains_a_refused_binding_in_chinese(client, login, world, person, wristband) -> None:  # type: ignore[no-untyped-def]
    monitoring = approve(world, request(world, person))
    login(client, world.bureau_a)
    last = monitoring.end_date + dt.timedelta(days=5)
    response = client.post(
        reverse("monitoring:device_detail", args=[wristband.pk]),
        {
            "supervisee": person.pk,
            "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "ends_at": f"{last.isoformat()}T12:00",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert monitoring.end_date.isoformat() in page and "批准的电子定位期限" in page
    assert not DeviceBinding.objects.exists()
    login(client, world.officer_b)
    assert client.get(reverse("monitoring:device_detail", args=[wristband.pk])).status_code in (403, 404)


def test_the_api_refuses_a_binding_outside_the_approval_field_by_field(client, login, world, person, wristband) -> None:  # type: ignore[no-untyped-def]
    pending = request(world, person)
    login(client, world.bureau_a)
    now = timezone.now()
    payload = {
        "device": wristband.pk,
        "supervisee": person.pk,
        "starts_at": now.isoformat(),
        "ends_at": (now + dt.timedelta(days=10)).isoformat(),
    }
    response = client.post("/api/v1/monitoring/bindings/", payload, content_type="application/json")
    assert response.status_code == 400 and "starts_at" in response.json()["errors"]
    approve(world, pending)
    response = client.post("/api/v1/monitoring/bindings/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert pending.start_date.isoformat() in response.json()["approval_reference"]
