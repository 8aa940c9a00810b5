"""Reads of the reintegration app: scoped through supervisees_visible_to, default deny.

A user sees the needs of the supervisees they may see, and only with the VIEW_REINTEGRATION capability.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from zhengtu.accounts.roles import Capability, can
from zhengtu.supervisees.selectors import get_supervisee_for_user, supervisees_visible_to

from .models import OPEN_STATUSES, PLACEMENT_OUTCOMES, Need, NeedKind, Referral
from .rules import assessment_domain_kinds

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee


def needs_visible_to(user: User) -> QuerySet[Need]:
    if not user.is_authenticated or not can(user, Capability.VIEW_REINTEGRATION):
        return Need.objects.none()
    return Need.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))


def get_need_for_user(user: User, pk: object) -> Need:
    """The one way to fetch a need named in a URL: 404 outside the user's scope."""
    try:
        return needs_visible_to(user).select_related("supervisee__responsible_office").get(pk=int(str(pk)))
    except (Need.DoesNotExist, ValueError) as error:
        raise Http404 from error


def get_person_for_user(user: User, pk: object) -> Supervisee:
    """A supervisee named in a URL of this app: 404 outside scope or without the capability."""
    if not can(user, Capability.VIEW_REINTEGRATION):
        raise Http404
    return get_supervisee_for_user(user, pk)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(need__in=needs_visible_to(user).values("pk"))


def needs_of(user: User, supervisee: Supervisee) -> QuerySet[Need]:
    return (
        needs_visible_to(user)
        .filter(supervisee=supervisee)
        .select_related("recorded_by")
        .prefetch_related("referrals", "actions")
    )


def _has_referral() -> Exists:
    return Exists(Referral.objects.filter(need=OuterRef("pk")))


@dataclass(frozen=True)
class NeedFilters:
    """What the per-office list can be filtered by; the page and the export share it."""

    office: int | None = None
    kind: str = ""
    status: str = ""
    outcome: str = ""
    query: str = ""
    waiting_since: dt.date | None = None  # open, not referred, found on or before this day


def filter_needs(queryset: QuerySet[Need], filters: NeedFilters) -> QuerySet[Need]:
    if filters.office:
        queryset = queryset.filter(supervisee__responsible_office_id=filters.office)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.outcome:
        queryset = queryset.filter(outcome=filters.outcome)
    if filters.query:
        queryset = queryset.filter(Q(supervisee__name__contains=filters.query) | Q(description__contains=filters.query))
    if filters.waiting_since:
        queryset = unreferred(queryset, found_by=filters.waiting_since)
    return queryset


def list_needs(user: User, filters: NeedFilters) -> QuerySet[Need]:
    return filter_needs(needs_visible_to(user), filters).select_related("supervisee__responsible_office", "recorded_by")


def unreferred(queryset: QuerySet[Need], *, found_by: dt.date) -> QuerySet[Need]:
    """Open needs found on or before `found_by` that no agency has been asked to help with."""
    return queryset.filter(status__in=OPEN_STATUSES, found_on__lte=found_by).exclude(_has_referral())


def placements_of(user: User, supervisee: Supervisee) -> QuerySet[Need]:
    """The person's vocational trainings and job placements: needs of those kinds still open, and every need closed
    with a placement outcome (what counts in the correction plan)."""
    work_kinds = (NeedKind.VOCATIONAL_TRAINING, NeedKind.EMPLOYMENT_GUIDANCE)
    return (
        needs_visible_to(user)
        .filter(supervisee=supervisee)
        .filter(Q(outcome__in=PLACEMENT_OUTCOMES) | Q(kind__in=work_kinds, status__in=OPEN_STATUSES))
        .prefetch_related("referrals")
    )


@dataclass(frozen=True)
class SuggestedNeed:
    """A need domain of the person's latest scored assessment not yet recorded here."""

    assessment_id: int
    domain: str
    label: str
    kind: str
    measures: str


def suggested_needs(user: User, supervisee: Supervisee) -> list[SuggestedNeed]:
    """Needs the latest risk/needs assessment found (its result "needs") for domains this app helps with.

    Only for users who may read assessment results; a domain already recorded from that assessment is left out.
    """
    from zhengtu.assessment.models import Assessment, AssessmentStatus, InstrumentKind
    from zhengtu.assessment.permissions import can_view_results

    if not can_view_results(user):
        return []
    latest: Any = (
        # The latest risk/needs assessment: a later psychological screening finds no needs and replaces nothing.
        Assessment.objects.filter(
            supervisee=supervisee,
            status=AssessmentStatus.SUBMITTED,
            instrument_version__instrument__kind=InstrumentKind.RISK_NEEDS,
        )
        .exclude(result={})
        .order_by("-submitted_at", "-pk")
        .only("pk", "result")
        .first()
    )
    if latest is None:
        return []
    kinds = assessment_domain_kinds()
    done = set(Need.objects.filter(assessment_id=latest.pk).values_list("assessment_domain", flat=True))
    found = []
    for need in (latest.result.get("score") or {}).get("needs", []):
        domain = str(need.get("domain", ""))
        if domain in kinds and domain not in done:
            found.append(
                SuggestedNeed(
                    assessment_id=latest.pk,
                    domain=domain,
                    label=str(need.get("label", domain)),
                    kind=kinds[domain],
                    measures=str(need.get("measures", "")),
                )
            )
    return found


def open_needs_count(user: User, supervisee: Supervisee) -> int:
    return needs_visible_to(user).filter(supervisee=supervisee, status__in=OPEN_STATUSES).count()


def get_referral_for_user(user: User, pk: object) -> Referral:
    try:
        return referrals_visible_to(user).get(pk=int(str(pk)))
    except (Referral.DoesNotExist, ValueError) as error:
        raise Http404 from error
