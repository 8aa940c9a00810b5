"""Figures of the registry: people in register (a stock), intakes and releases (flows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.supervisees.models import SentenceType, Status, Supervisee, SupervisionLevel
from zhengtu.supervisees.selectors import supervisees_visible_to

from ..figures import STOCK, Figure

REGISTER = _("People in register")
MOVEMENT = _("Intake and release")


def in_register_on(queryset: QuerySet[Supervisee], day: dt.date) -> QuerySet[Supervisee]:
    """Under community correction on `day`: the term had begun and not ended, the person had reported
    (not pending intake) and no termination had taken effect."""
    return (
        queryset.filter(term_start__lte=day, term_end__gte=day)
        .exclude(status=Status.PENDING_INTAKE)
        .exclude(termination__effective_on__lte=day)
    )


def _person(record: Supervisee) -> tuple[str, str]:
    return record.name, reverse("supervisees:detail", args=[record.pk])


def _scoped(user: User) -> QuerySet[Supervisee]:
    return supervisees_visible_to(user)


def _intakes(user: User) -> QuerySet[Any]:
    return supervisees_visible_to(user).exclude(status=Status.PENDING_INTAKE).annotate(stat_day=F("term_start"))


def _releases(user: User) -> QuerySet[Any]:
    # Release is at the end of the term (law art. 44); the certificate's date when one was recorded.
    return (
        supervisees_visible_to(user)
        .filter(status=Status.RELEASED)
        .annotate(stat_day=Coalesce("release__released_on", "term_end"))
    )


def sources() -> list[Figure]:
    common: dict[str, Any] = {"office": "responsible_office_id", "supervisee": "", "describe": _person}
    return [
        Figure(
            key="registry.in_register_by_type",
            title=_("In register by sentence type"),
            section=REGISTER,
            records=_scoped,
            kind=STOCK,
            on_day=in_register_on,
            breakdown="sentence_type",
            choices=tuple(SentenceType.choices),
            note=_("On the last day of the period (today for the current period)."),
            **common,
        ),
        Figure(
            key="registry.in_register_by_level",
            title=_("In register by supervision level"),
            section=REGISTER,
            records=_scoped,
            kind=STOCK,
            on_day=in_register_on,
            breakdown="supervision_level",
            choices=tuple(SupervisionLevel.choices),
            **common,
        ),
        Figure(
            key="registry.intakes",
            title=_("Intakes (term began)"),
            section=MOVEMENT,
            records=_intakes,
            date="stat_day",
            breakdown="sentence_type",
            choices=tuple(SentenceType.choices),
            note=_("People whose term began in the period and who have reported; pending intakes are not counted."),
            **common,
        ),
        Figure(
            key="registry.releases",
            title=_("Releases at the end of the term"),
            section=MOVEMENT,
            records=_releases,
            date="stat_day",
            breakdown="sentence_type",
            choices=tuple(SentenceType.choices),
            note=_("Dated by the release certificate, else by the end of the term."),
            **common,
        ),
    ]
