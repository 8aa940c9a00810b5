"""Reads of juvenile cases. The sealing rule lives here, in `cases_visible_to`, and nowhere else.

Every list, search, count, export, statistic and API endpoint starts from `cases_visible_to(user)`; every record
hanging off a case (investigations, interviews, documents, appropriate-adult requests, volunteer work) is read
through the cases it returns, so the social-work material of a sealed case is sealed with it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhengtu.accounts.roles import Capability, can, is_prosecutor
from zhengtu.core.lookups import get_or_404
from zhengtu.core.query import parse_int
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Supervisee

from .models import (
    AppropriateAdult,
    AppropriateAdultRequest,
    JuvenileCase,
    JuvenileDocument,
    SealedReadRequest,
    SealedReadStatus,
    SocialInvestigation,
    Stage,
)

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

COUNTY_KINDS = {OrganisationKind.COUNTY_BUREAU}


def county_of(user: User) -> Organisation | None:
    """The county bureau a user works under (their own organisation if it is one)."""
    if user.organisation is None:
        return None
    return user.organisation.nearest(set(COUNTY_KINDS))


def _unsealed_scope(user: User) -> Q:
    """Which unsealed cases a user's position shows them (before membership and sealing)."""
    if user.organisation is None:
        return Q(pk__in=[])
    if is_prosecutor(user):
        return Q(referring_organisation=user.organisation)
    subtree = Organisation.objects.filter(path__startswith=user.organisation.path).values("pk")
    return Q(county__in=subtree) | Q(agency__in=subtree)


def cases_visible_to(user: User, *, for_counting: bool = False) -> QuerySet[JuvenileCase]:
    """THE sealing rule. Unsealed cases in the user's scope, plus sealed cases the user is on (shown as 封存).

    `for_counting=True` (counts, exports, statistics, the API) leaves sealed cases out altogether, even for the
    people on them. Nothing by default: anonymous or inactive users and users without the capability see nothing.
    Approved reads of a sealed case by someone not on it open that one case only (`get_case_for_user`), never a
    list or a count.
    """
    if not user.is_authenticated or not user.is_active or not can(user, Capability.VIEW_JUVENILE_CASES):
        return JuvenileCase.objects.none()
    member = Q(members__user=user)
    unsealed = Q(sealed_at__isnull=True)
    if user.is_superuser:
        scope = unsealed | member
    else:
        scope = (unsealed & (_unsealed_scope(user) | member)) | (Q(sealed_at__isnull=False) & member)
    if for_counting:
        scope &= unsealed
    ids = JuvenileCase.objects.filter(scope).values("pk")
    return JuvenileCase.objects.filter(pk__in=ids)


def approved_sealed_read(user: User, case: JuvenileCase) -> SealedReadRequest | None:
    if not user.is_authenticated or not case.is_sealed:
        return None
    return (
        SealedReadRequest.objects.filter(
            case=case,
            requested_by=user,
            status=SealedReadStatus.APPROVED,
            valid_until__gte=timezone.localdate(),
        )
        .order_by("-decided_at")
        .first()
    )


def is_member(user: User, case: JuvenileCase) -> bool:
    return case.members.filter(user=user).exists()


def get_case_for_user(user: User, pk: object) -> JuvenileCase:
    """The one way to fetch a case named in a URL: 404 outside scope, and for a sealed case not on it unless an
    approved read is open (the page then audits the read)."""
    case_id = parse_int(pk)
    if case_id is None:
        raise Http404
    case = cases_visible_to(user).select_related("county", "agency", "referring_organisation").filter(pk=case_id)
    found = case.first()
    if found is not None:
        return found
    sealed = JuvenileCase.objects.filter(pk=case_id, sealed_at__isnull=False).first()
    if sealed is not None and can(user, Capability.VIEW_JUVENILE_CASES) and approved_sealed_read(user, sealed):
        return sealed
    raise Http404


def search_cases(user: User, q: str = "", *, service_type: str = "", stage: str = "") -> QuerySet[JuvenileCase]:
    cases = cases_visible_to(user).select_related("county", "agency")
    if q.strip():
        cases = cases.filter(Q(child_name__contains=q.strip()) | Q(number__icontains=q.strip()))
    if service_type:
        cases = cases.filter(service_type=service_type)
    if stage:
        cases = cases.filter(stage=stage)
    return cases


def sealed_supervisee_ids(user: User) -> set[int]:
    """Adult records linked to a sealed juvenile case: statistics never count them, for anyone (CPL art. 286)."""
    return set(
        JuvenileCase.objects.filter(sealed_at__isnull=False, supervisee__isnull=False).values_list(
            "supervisee_id", flat=True
        )
    )


def case_counts_for(user: User) -> dict[str, object]:
    """Counts for statistics and dashboards: sealed cases are never counted, for anyone.

    {"total": n, "open": n, "by_service_type": {code: n}, "by_stage": {code: n}}.
    """
    cases = cases_visible_to(user, for_counting=True)
    by_type = dict(cases.values_list("service_type").annotate(n=Count("pk")).values_list("service_type", "n"))
    by_stage = dict(cases.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    total = sum(by_stage.values())
    closed = by_stage.get(Stage.CLOSED, 0) + by_stage.get(Stage.FOLLOW_UP, 0)
    return {"total": total, "open": total - closed, "by_service_type": by_type, "by_stage": by_stage}


def investigations_of(user: User) -> QuerySet[SocialInvestigation]:
    return SocialInvestigation.objects.filter(case__in=cases_visible_to(user).values("pk")).select_related("case")


def investigations_received_by(user: User) -> QuerySet[SocialInvestigation]:
    """Reports a prosecutor's procuratorate asked for and has been sent."""
    if user.organisation is None:
        return SocialInvestigation.objects.none()
    return investigations_of(user).filter(requested_by=user.organisation, sent_at__isnull=False)


def get_investigation_for_user(user: User, pk: object) -> SocialInvestigation:
    return get_or_404(investigations_of(user), pk)


def get_document_for_user(user: User, pk: object) -> JuvenileDocument:
    document = get_or_404(JuvenileDocument.objects.select_related("case"), pk)
    get_case_for_user(user, document.case_id)  # 404 unless the case itself may be read
    return document


def roster_visible_to(user: User) -> QuerySet[AppropriateAdult]:
    """Appropriate adults of the counties in the user's scope (a prosecutor: their procuratorate's county)."""
    if not user.is_authenticated or not can(user, Capability.VIEW_JUVENILE_CASES):
        return AppropriateAdult.objects.none()
    if user.is_superuser:
        return AppropriateAdult.objects.all()
    county = county_of(user)
    counties = Q(county=county) if county is not None else Q(pk__in=[])
    if user.organisation is not None and not is_prosecutor(user):
        counties |= Q(county__path__startswith=user.organisation.path)
    return AppropriateAdult.objects.filter(counties)


def get_adult_for_user(user: User, pk: object) -> AppropriateAdult:
    return get_or_404(roster_visible_to(user), pk)


def adult_requests_of(user: User) -> QuerySet[AppropriateAdultRequest]:
    return AppropriateAdultRequest.objects.filter(case__in=cases_visible_to(user).values("pk")).select_related(
        "case", "adult"
    )


def get_adult_request_for_user(user: User, pk: object) -> AppropriateAdultRequest:
    return get_or_404(adult_requests_of(user), pk)


def read_requests_to_decide(user: User) -> QuerySet[SealedReadRequest]:
    """Requests an approver decides: those about cases of their subtree's counties, and unmatched numbers typed by
    people of their subtree (so that they can be rejected)."""
    if not can(user, Capability.APPROVE_JUVENILE) or user.organisation is None:
        return SealedReadRequest.objects.none()
    path = user.organisation.path
    if user.organisation.kind == OrganisationKind.AGENCY:
        mine = Q(case__agency=user.organisation)
    else:
        mine = Q(case__county__path__startswith=path)
    unmatched = Q(case__isnull=True, requested_by__organisation__path__startswith=path)
    return SealedReadRequest.objects.filter(mine | unmatched).exclude(requested_by=user).select_related("requested_by")


def my_read_requests(user: User) -> QuerySet[SealedReadRequest]:
    return SealedReadRequest.objects.filter(requested_by=user)


def procuratorate_county(user: User) -> Organisation | None:
    """The county whose supervision a prosecutor oversees: the bureau their procuratorate hangs under."""
    if not can(user, Capability.OVERSEE_SUPERVISION) or user.organisation is None:
        return None
    if user.organisation.kind != OrganisationKind.PROCURATORATE:
        return None
    return user.organisation.parent


def supervisees_overseen_by(user: User) -> QuerySet[Supervisee]:
    """Adults under community correction in the prosecutor's county, for read-only legal supervision."""
    county = procuratorate_county(user)
    if county is None:
        return Supervisee.objects.none()
    offices = Organisation.objects.filter(path__startswith=county.path).values("pk")
    return Supervisee.objects.filter(responsible_office__in=offices).select_related("responsible_office")


def get_overseen_supervisee(user: User, pk: object) -> Supervisee:
    return get_or_404(supervisees_overseen_by(user), pk)


def reports_due(case: JuvenileCase, today: dt.date | None = None) -> bool:
    """A conditional non-prosecution case whose next periodic report is due."""
    supervision = getattr(case, "non_prosecution", None)
    if supervision is None:
        return False
    today = today or timezone.localdate()
    last = supervision.reports.order_by("-period_end").first()
    since = last.period_end if last else supervision.decided_on
    return (today - since).days >= supervision.report_every_days
