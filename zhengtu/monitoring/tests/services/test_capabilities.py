"""Device, binding and fence changes check Capability.MONITOR in the service, so the pages, the API and any
later caller refuse the same people (the API's and the pages' own checks are only the first line)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from zhengtu.audit.services import Actor
from zhengtu.monitoring.models import Device, DeviceBinding, Fence
from zhengtu.monitoring.services import (
    clear_osmand_secret,
    reset_jt808_registration,
    unbind_device,
    update_device,
    update_fence,
)

pytestmark = pytest.mark.django_db


def test_a_social_worker_cannot_change_devices_bindings_or_fences_through_the_services(world, monitored) -> None:  # type: ignore[no-untyped-def]
    worker = Actor(user=world.social_worker_a)  # sees the person, but has no Capability.MONITOR
    with pytest.raises(PermissionDenied):
        update_device(actor=worker, device=monitored.wristband, is_active=False)
    with pytest.raises(PermissionDenied):
        reset_jt808_registration(actor=worker, device=monitored.wristband)
    with pytest.raises(PermissionDenied):
        clear_osmand_secret(actor=worker, device=monitored.wristband)
    with pytest.raises(PermissionDenied):
        unbind_device(actor=worker, binding=monitored.binding, reason="不再需要")
    with pytest.raises(PermissionDenied):
        update_fence(actor=worker, fence=monitored.county_fence, is_active=False)
    with pytest.raises(PermissionDenied):
        update_device(actor=Actor(user=None), device=monitored.wristband, is_active=False)
    assert Device.objects.get(pk=monitored.wristband.pk).is_active
    assert DeviceBinding.objects.get(pk=monitored.binding.pk).unbound_at is None
    assert Fence.objects.get(pk=monitored.county_fence.pk).is_active


def test_the_monitoring_staff_still_can(world, monitored) -> None:  # type: ignore[no-untyped-def]
    bureau = Actor(user=world.bureau_a)
    assert not update_device(actor=bureau, device=monitored.wristband, is_active=False).is_active
    assert unbind_device(actor=bureau, binding=monitored.binding, reason="不再需要").unbound_at is not None
