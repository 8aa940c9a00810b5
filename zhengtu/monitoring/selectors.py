"""Reads of monitoring data, scoped by the supervisees the user may see. Default deny.

Location data (positions, tracks, latest states, alerts with coordinates) additionally needs a
role listed in LOCATION_ROLES; device, binding and fence management needs Capability.MONITOR.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can, has_role_in
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import get_supervisee_for_user, supervisees_visible_to

from .models import Alert, Device, DeviceBinding, DeviceState, Fence, Position, UnknownDevice
from .rules import rule


def can_see_locations(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    allowed = has_role_in(user, rule("LOCATION_ROLES"))
    return allowed and (can(user, Capability.MONITOR) or can(user, Capability.VIEW_SUPERVISEES))


def can_manage(user: User) -> bool:
    return user.is_authenticated and user.is_active and can(user, Capability.MONITOR)


def monitored_supervisees_visible_to(user: User) -> QuerySet[Supervisee]:
    if not can_see_locations(user):
        return Supervisee.objects.none()
    return supervisees_visible_to(user)


def _subtree(user: User) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.all()
    if user.organisation_id is None:
        return Organisation.objects.none()
    assert user.organisation is not None
    return Organisation.objects.filter(path__startswith=user.organisation.path)


def devices_visible_to(user: User) -> QuerySet[Device]:
    """Devices held by the user's subtree, or bound now to someone they see. Management only."""
    if not can_manage(user):
        return Device.objects.none()
    if user.is_superuser:
        return Device.objects.all()
    bound = DeviceBinding.objects.filter(unbound_at__isnull=True, supervisee__in=supervisees_visible_to(user)).values(
        "device_id"
    )
    return Device.objects.filter(Q(organisation__in=_subtree(user)) | Q(pk__in=bound)).distinct()


def get_device_for_user(user: User, pk: object) -> Device:
    return get_or_404(devices_visible_to(user), pk)


def unknown_devices_visible_to(user: User) -> QuerySet[UnknownDevice]:
    if not can_manage(user):
        return UnknownDevice.objects.none()
    return UnknownDevice.objects.filter(registered_device__isnull=True)


def bindings_visible_to(user: User) -> QuerySet[DeviceBinding]:
    if not can_see_locations(user):
        return DeviceBinding.objects.none()
    return DeviceBinding.objects.filter(supervisee__in=supervisees_visible_to(user))


def get_binding_for_user(user: User, pk: object) -> DeviceBinding:
    if not can_manage(user):
        raise Http404
    return get_or_404(bindings_visible_to(user).select_related("device", "supervisee"), pk)


def fences_visible_to(user: User) -> QuerySet[Fence]:
    """Fences of the user's subtree or above it (a county fence concerns its offices), and personal
    fences of supervisees they see."""
    if not can_see_locations(user):
        return Fence.objects.none()
    if user.is_superuser:
        return Fence.objects.all()
    people = supervisees_visible_to(user)
    scope = Q(supervisee__in=people)
    if user.organisation is not None:
        path = user.organisation.path
        ancestors = [int(part) for part in path.strip("/").split("/") if part]
        scope |= Q(supervisee__isnull=True) & (
            Q(organisation__path__startswith=path) | Q(organisation_id__in=ancestors)
        )
    return Fence.objects.filter(scope)


def get_fence_for_user(user: User, pk: object) -> Fence:
    return get_or_404(fences_visible_to(user).select_related("organisation", "supervisee"), pk)


def fence_editable_by(user: User, fence: Fence) -> bool:
    if not can_manage(user):
        return False
    if user.is_superuser:
        return True
    return user.organisation is not None and fence.organisation.path.startswith(user.organisation.path)


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    if not can_see_locations(user):
        return Alert.objects.none()
    return Alert.objects.filter(supervisee__in=supervisees_visible_to(user))


def get_alert_for_user(user: User, pk: object) -> Alert:
    return get_or_404(alerts_visible_to(user).select_related("supervisee", "device", "fence"), pk)


def latest_states_visible_to(user: User, *, at: dt.datetime) -> list[tuple[DeviceBinding, DeviceState | None]]:
    """Devices bound now to supervisees the user sees, with their latest state."""
    bindings = list(
        bindings_visible_to(user)
        .filter(unbound_at__isnull=True, starts_at__lte=at, ends_at__gt=at)
        .select_related("device", "supervisee")
        .order_by("supervisee__name", "device__kind")
    )
    states = DeviceState.objects.in_bulk([b.device_id for b in bindings])
    return [(binding, states.get(binding.device_id)) for binding in bindings]


def get_monitored_supervisee(user: User, pk: object) -> Supervisee:
    if not can_see_locations(user):
        raise Http404
    return get_supervisee_for_user(user, pk)


def track_of(supervisee: Supervisee, *, start: dt.datetime, end: dt.datetime) -> QuerySet[Position]:
    """Fixes stored for the supervisee in [start, end), oldest first. Callers audit the view."""
    return (
        Position.objects.filter(supervisee=supervisee, fix_time__gte=start, fix_time__lt=end)
        .order_by("fix_time", "id")
        .only("fix_time", "latitude", "longitude", "speed_kmh", "course", "device_id")
    )
