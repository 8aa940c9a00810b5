"""Figures of social-work services: hours of education, community service and counselling per person."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.services.models import ServiceAttendance, ServiceKind
from zhengtu.supervisees.selectors import supervisees_visible_to

from ..figures import Figure

SECTION = _("Education and services")


def _attendances(user: User) -> QuerySet[Any]:
    return ServiceAttendance.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))


def _describe(record: Any) -> tuple[str, str]:
    return (
        f"{record.supervisee.name} · {record.get_kind_display()} · {record.hours} h",
        reverse("services:record", args=[record.record_id]),
    )


def sources() -> list[Figure]:
    return [
        Figure(
            key="services.hours",
            title=_("Hours of education and services attended"),
            section=SECTION,
            records=_attendances,
            office="supervisee__responsible_office_id",
            date="held_on",
            breakdown="kind",
            choices=tuple(ServiceKind.choices),
            total_of="hours",
            unit=_("hours"),
            describe=_describe,
            select_related=("supervisee",),
        ),
        Figure(
            key="services.attendances",
            title=_("Attendances at education and services"),
            section=SECTION,
            records=_attendances,
            office="supervisee__responsible_office_id",
            date="held_on",
            breakdown="kind",
            choices=tuple(ServiceKind.choices),
            describe=_describe,
            select_related=("supervisee",),
        ),
    ]
