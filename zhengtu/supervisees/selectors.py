"""Reads of the registry. Scope is decided here and only here: default deny."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.lookups import In
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import CASE_TEAM_ROLES, OFFICER_ROLES, Capability, can, is_supervisee
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.orgs.selectors import organisations_visible_to  # the one definition; also imported from here
from zhengtu.privacy.crypto import blind_index

from .models import Assignment, NameReading, Status, StatusChange, Supervisee
from .rules import responsible_office_kinds


def supervisees_visible_to(user: User) -> QuerySet[Supervisee]:
    """Supervisees in the user's subtree plus those explicitly assigned to them.

    A supervisee sees only themselves; users without the capability see nobody.
    """
    if not user.is_authenticated or not user.is_active:
        return Supervisee.objects.none()
    if user.is_superuser:
        return Supervisee.objects.all()
    if is_supervisee(user):
        return Supervisee.objects.filter(user=user)
    if not can(user, Capability.VIEW_SUPERVISEES):
        return Supervisee.objects.none()
    # Both parts are read as lists of ids first: "office IN (…) OR id IN (…)" with literal lists
    # is answered from two indexes, where the same with subqueries scans every supervisee.
    scope = Q(pk__in=[])
    assigned = list(Assignment.objects.filter(user=user, ended_at__isnull=True).values_list("supervisee_id", flat=True))
    if assigned:
        scope |= Q(pk__in=assigned)
    if user.organisation_id is not None:
        assert user.organisation is not None
        root = user.organisation
        # A command centre is attached to the bureau it serves and watches that bureau's subtree.
        if root.kind == OrganisationKind.COMMAND_CENTER and root.parent is not None:
            root = root.parent
        scope |= _subtree_condition(root)
    return Supervisee.objects.filter(scope)


# A scope holding at least this share of all organisations (a province bureau, the only county of an
# installation) is read the other way round: the list in order from its own index, each row's office
# checked against the subtree, instead of looking up a thousand offices and sorting everyone in them.
# The unary plus keeps the database from answering "office in subtree" through the office index, which
# SQLite's planner otherwise prefers once it has statistics (province demo, SQLite, first page: 7 ms
# against 770 ms). Small scopes keep the office index: their few people are found at once and sorted.
LARGE_SCOPE_SHARE = 0.25


def _subtree_condition(root: Organisation) -> Q:
    subtree = Organisation.objects.filter(path__startswith=root.path)
    counts = Organisation.objects.aggregate(
        inside=Count("pk", filter=Q(path__startswith=root.path)), everyone=Count("pk")
    )
    if counts["inside"] >= LARGE_SCOPE_SHARE * counts["everyone"]:
        office_unindexed = Func(F("responsible_office_id"), template="+%(expressions)s", output_field=IntegerField())
        return Q(In(office_unindexed, subtree.values("pk")))
    return Q(responsible_office_id__in=list(subtree.values_list("pk", flat=True)))


def get_supervisee_for_user(user: User, pk: object) -> Supervisee:
    """The one way to fetch a supervisee named in a URL: 404 outside the user's scope."""
    return get_or_404(supervisees_visible_to(user), pk)


# ---------------------------------------------------------------------------------------------
# The registry list: filters and search, always applied to the scoped queryset.


@dataclass(frozen=True)
class SuperviseeFilters:
    """What a clerk can filter the list by; the page, the export and the API share it."""

    q: str = ""
    office: Organisation | None = None
    supervision_level: str = ""
    status: str = ""
    sentence_type: str = ""
    term_ending_within_days: int | None = None

    def describe(self) -> dict[str, object]:
        """The filter as plain data, for the audit log of an export."""
        described: dict[str, object] = {}
        if self.q:
            # An identity or phone number typed in the search box is not copied to the log.
            described["q"] = "(identity or phone number)" if _looks_like_number(self.q) else self.q
        if self.office is not None:
            described["office"] = {"id": self.office.pk, "name": self.office.name}
        for name in ("supervision_level", "status", "sentence_type", "term_ending_within_days"):
            value = getattr(self, name)
            if value not in ("", None):
                described[name] = value
        return described


IDENTITY_QUERY = re.compile(r"^(\d{17}[\dX]|\d{15})$")
TAIL_QUERY = re.compile(r"^\d{3}[\dX]$")
PINYIN_QUERY = re.compile(r"^[a-z]+$")


def _looks_like_number(q: str) -> bool:
    compact = _compact(q)
    return bool(IDENTITY_QUERY.match(compact)) or (compact.isdigit() and len(compact) >= 7)


def _compact(q: str) -> str:
    return q.strip().replace(" ", "").replace("-", "").upper()


def _prefix(field: str, letters: str) -> Q:
    """`field` starts with `letters` (lower-case a–z), in a form the database answers from an index.

    SQLite only uses an index for LIKE on case-insensitive columns, so there the prefix is asked
    as a range, which for lower-case ASCII letters is exactly the same set of names. PostgreSQL
    uses the pattern index Django creates for indexed text columns.
    """
    if connection.vendor == "sqlite":
        upper = letters[:-1] + chr(ord(letters[-1]) + 1)
        return Q(**{f"{field}__gte": letters, f"{field}__lt": upper})
    return Q(**{f"{field}__startswith": letters})


def search_supervisees(queryset: QuerySet[Supervisee], q: str) -> QuerySet[Supervisee]:
    """One search box: name, pinyin initials or prefix, identity number, phone, or last four digits.

    Identity and phone numbers are found through their keyed hashes (exact match only); the
    last four characters are matched on the masked value, which keeps them in clear.
    """
    q = q.strip()
    if not q:
        return queryset
    compact = _compact(q)
    if IDENTITY_QUERY.match(compact):
        return queryset.filter(identity_number_index=blind_index(compact))
    if compact.isdigit() and len(compact) >= 7:
        return queryset.filter(phone_index=blind_index(compact))
    if TAIL_QUERY.match(compact):
        return queryset.filter(Q(identity_number_masked__endswith=compact) | Q(phone_masked__endswith=compact))
    letters = q.lower().replace(" ", "")
    if PINYIN_QUERY.match(letters):
        # Other readings are few: read as a list, so the whole condition stays index-friendly.
        others = NameReading.objects.filter(_prefix("initials", letters) | _prefix("pinyin", letters))
        other_ids = list(others.values_list("supervisee_id", flat=True)[:1000])
        condition = _prefix("name_initials", letters) | _prefix("name_pinyin", letters)
        return queryset.filter(condition | Q(pk__in=other_ids) if other_ids else condition)
    return queryset.filter(Q(name__contains=q) | Q(former_names__contains=q))


def filter_supervisees(queryset: QuerySet[Supervisee], filters: SuperviseeFilters) -> QuerySet[Supervisee]:
    if filters.office is not None:
        offices = Organisation.objects.filter(path__startswith=filters.office.path).values("pk")
        queryset = queryset.filter(responsible_office_id__in=offices)
    if filters.supervision_level:
        queryset = queryset.filter(supervision_level=filters.supervision_level)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.sentence_type:
        queryset = queryset.filter(sentence_type=filters.sentence_type)
    if filters.term_ending_within_days is not None:
        today = timezone.localdate()
        until = today + dt.timedelta(days=filters.term_ending_within_days)
        queryset = queryset.filter(term_end__gte=today, term_end__lte=until).order_by("term_end", "id")
    elif filters.q.strip():
        # Same order, written so that it cannot be read from the list index: a search matches
        # few people, and walking the whole index in order looking for them (which PostgreSQL
        # otherwise prefers for the first page) is far slower than sorting the matches.
        queryset = queryset.order_by(Coalesce("term_start", "term_start").desc(), "id")
    return search_supervisees(queryset, filters.q)


def list_supervisees(user: User, filters: SuperviseeFilters) -> QuerySet[Supervisee]:
    """The registry list for a user: their scope, filtered, with what a row shows in one query."""
    queryset = filter_supervisees(supervisees_visible_to(user), filters)
    return queryset.select_related("responsible_office", "responsible_officer")


def get_supervisee_detail_for_user(user: User, pk: object) -> Supervisee:
    """A supervisee with everything the detail page shows; 404 outside the user's scope."""
    queryset = (
        supervisees_visible_to(user)
        .select_related("responsible_office", "responsible_officer", "residence_division", "household_division", "user")
        .prefetch_related(
            "family_members",
            Prefetch("assignments", queryset=Assignment.objects.select_related("user").order_by("-assigned_at")),
            Prefetch(
                "status_changes", queryset=StatusChange.objects.select_related("changed_by").order_by("changed_at")
            ),
        )
    )
    return get_or_404(queryset, pk)


def filter_offices_for(user: User) -> QuerySet[Organisation]:
    """Organisations a user can filter the list by: bureaus and offices in their subtree."""
    kinds = responsible_office_kinds()
    return organisations_visible_to(user).filter(kind__in=kinds).order_by("path")


def responsible_offices_for(user: User, *, current: Organisation | None = None) -> QuerySet[Organisation]:
    """Where a user may register a supervisee: offices in their subtree (plus the current one on edit)."""
    offices = organisations_visible_to(user).filter(kind__in=responsible_office_kinds(), is_active=True)
    if current is not None:
        offices = offices | Organisation.objects.filter(pk=current.pk)
    return offices.order_by("path")


def responsible_officer_choices(user: User, office: Organisation | None) -> QuerySet[User]:
    """Staff who may be responsible: officers of the office or of a bureau above it."""
    staff = User.objects.filter(is_active=True, role__in=OFFICER_ROLES).order_by("full_name", "username")
    if office is None:
        return staff.filter(organisation__in=organisations_visible_to(user))
    ancestor_ids = [int(part) for part in office.path.strip("/").split("/") if part]
    return staff.filter(organisation_id__in=ancestor_ids)


def assignable_staff(supervisee: Supervisee) -> QuerySet[User]:
    """Who can be assigned to a supervisee: staff under the bureau that serves the responsible office.

    That includes the social workers of agencies attached to the county bureau.
    """
    office = supervisee.responsible_office
    bureau = office.nearest({OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU}) or office
    return (
        User.objects.filter(is_active=True, role__in=CASE_TEAM_ROLES, organisation__path__startswith=bureau.path)
        .select_related("organisation")
        .order_by("organisation__path", "full_name", "username")
    )


def supervisees_with_term_ending(user: User, *, within_days: int) -> QuerySet[Supervisee]:
    """People the user is responsible for or assigned to whose term ends soon (my tasks)."""
    today = timezone.localdate()
    assigned = Assignment.objects.filter(user=user, ended_at__isnull=True).values("supervisee_id")
    return (
        supervisees_visible_to(user)
        .filter(Q(responsible_officer=user) | Q(pk__in=assigned))
        .filter(
            status__in=[Status.PENDING_INTAKE, Status.UNDER_SUPERVISION],
            term_end__gte=today,
            term_end__lte=today + dt.timedelta(days=within_days),
        )
        .order_by("term_end")
    )
