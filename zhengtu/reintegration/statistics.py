"""Figures of help with returning to society, declared to the command centre's registry (command.figures).

Records are scoped by the supervisees the user may see (supervisees_visible_to), like the other apps' figures:
the statistics pages are for VIEW_STATISTICS, which the command centre holds without this app's pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.models import User
from zhengtu.command.figures import FLOW, Figure
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import PLACEMENT_OUTCOMES, AgencyKind, Need, NeedKind, Outcome, Referral

SECTION = _("Help with returning to society")


def _describe_need(need: Any) -> tuple[str, str]:
    return (
        f"{need.supervisee.name} · {need.get_kind_display()} · {need.found_on}",
        reverse("reintegration:need", args=[need.pk]),
    )


def _describe_referral(referral: Any) -> tuple[str, str]:
    return (
        f"{referral.need.supervisee.name} · {referral.agency_name} · {referral.referred_on}",
        reverse("reintegration:need", args=[referral.need_id]),
    )


def _needs(user: User) -> QuerySet[Need]:
    return Need.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))


def _closed(user: User) -> QuerySet[Need]:
    return _needs(user).exclude(outcome="")


def _placements(user: User) -> QuerySet[Need]:
    return _needs(user).filter(outcome__in=PLACEMENT_OUTCOMES)


def _referrals(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(need__supervisee__in=supervisees_visible_to(user).values("pk"))


def sources() -> list[Figure]:
    return [
        Figure(
            key="reintegration.needs",
            title=_("Needs found for help with returning to society"),
            section=SECTION,
            records=_needs,
            office="supervisee__responsible_office_id",
            kind=FLOW,
            date="found_on",
            breakdown="kind",
            choices=tuple(NeedKind.choices),
            describe=_describe_need,
            select_related=("supervisee",),
            note=_("Needs recorded with the day they were found, by kind; withdrawn needs included."),
        ),
        Figure(
            key="reintegration.referrals",
            title=_("Referrals to agencies"),
            section=SECTION,
            records=_referrals,
            office="need__supervisee__responsible_office_id",
            kind=FLOW,
            date="referred_on",
            breakdown="agency_kind",
            choices=tuple(AgencyKind.choices),
            supervisee="need__supervisee",
            describe=_describe_referral,
            select_related=("need__supervisee",),
        ),
        Figure(
            key="reintegration.outcomes",
            title=_("Needs closed with an outcome"),
            section=SECTION,
            records=_closed,
            office="supervisee__responsible_office_id",
            kind=FLOW,
            date="outcome_on",
            breakdown="outcome",
            choices=tuple(Outcome.choices),
            describe=_describe_need,
            select_related=("supervisee",),
            note=_("“Not resolved” is an outcome too; the other columns are needs resolved."),
        ),
        Figure(
            key="reintegration.placements",
            title=_("Job placements and vocational trainings (counted in the correction plan)"),
            section=SECTION,
            records=_placements,
            office="supervisee__responsible_office_id",
            kind=FLOW,
            date="outcome_on",
            breakdown="outcome",
            choices=tuple((value, label) for value, label in Outcome.choices if value in PLACEMENT_OUTCOMES),
            describe=_describe_need,
            select_related=("supervisee",),
        ),
    ]
