"""Every statistic equals a count made independently, in plain Python, from the demo records, for several scopes.

Slow (the county demo is seeded once, about a minute on a loaded machine): one test walks every figure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhengtu.accounts.models import User
from zhengtu.assessment.models import Assessment, AssessmentReport, AssessmentStatus
from zhengtu.command.figures import registry
from zhengtu.command.periods import Period, parse_period
from zhengtu.command.tables import figure_table
from zhengtu.demo.seed import seed
from zhengtu.monitoring.models import Alert
from zhengtu.orgs.models import Organisation
from zhengtu.services.models import ServiceAttendance
from zhengtu.supervisees.models import Assignment, Status, Supervisee
from zhengtu.supervision.models import (
    ApprovalRequest,
    ApprovalStatus,
    CheckIn,
    MonitoringApproval,
    Sanction,
    Termination,
    Visit,
)

USERS = ("officer_lufeng", "bureau_xupu", "bureau_chenxi", "command_xupu")


def _scope(user: User) -> set[int]:
    root = user.organisation
    assert root is not None
    if root.kind == "command_center":
        root = root.parent
    offices = {o.pk for o in Organisation.objects.all() if o.path.startswith(root.path)}
    people = {s.pk for s in Supervisee.objects.all() if s.responsible_office_id in offices}
    people |= {a.supervisee_id for a in Assignment.objects.filter(user=user, ended_at__isnull=True)}
    return people


def _in(day: dt.date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _expected(key: str, scope: set[int], period: Period, today: dt.date) -> Counter[str]:
    """The figure counted by hand: one loop over all records, keeping those in scope."""
    day = period.counted_on(today)
    people = [s for s in Supervisee.objects.all() if s.pk in scope]
    terminated = {t.supervisee_id: t.effective_on for t in Termination.objects.all()}
    counts: Counter[str] = Counter()

    def add(key_: Any, n: Any = 1) -> None:
        counts[str(key_)] += n

    if key in ("registry.in_register_by_type", "registry.in_register_by_level"):
        field = "sentence_type" if key.endswith("type") else "supervision_level"
        for s in people:
            if (
                s.term_start <= day <= s.term_end
                and s.status != Status.PENDING_INTAKE
                and not (s.pk in terminated and terminated[s.pk] <= day)
            ):
                add(getattr(s, field))
    elif key == "registry.intakes":
        for s in people:
            if s.status != Status.PENDING_INTAKE and _in(s.term_start, period):
                add(s.sentence_type)
    elif key == "registry.releases":
        for s in people:
            release = getattr(s, "release", None) if hasattr(s, "release") else None
            when = release.released_on if release is not None and release.released_on else s.term_end
            if s.status == Status.RELEASED and _in(when, period):
                add(s.sentence_type)
    elif key == "supervision.terminations":
        for t in Termination.objects.all():
            if t.supervisee_id in scope and _in(t.effective_on, period):
                add(t.reason)
    elif key in ("supervision.approvals_by_kind", "supervision.approvals_by_outcome"):
        for r in ApprovalRequest.objects.all():
            if r.supervisee_id in scope and _in(_local(r.requested_at), period):
                add(r.kind if key.endswith("kind") else r.status)
    elif key == "supervision.sanctions":
        for s in Sanction.objects.select_related("approval"):
            if s.supervisee_id in scope and s.approval.status == ApprovalStatus.APPROVED and _in(s.occurred_on, period):
                add(s.kind)
    elif key == "supervision.monitoring_in_force":
        for m in MonitoringApproval.objects.select_related("approval"):
            if (
                m.supervisee_id in scope
                and m.approval.status == ApprovalStatus.APPROVED
                and m.start_date <= day <= m.end_date
            ):
                add("")
    elif key == "supervision.check_ins":
        for c in CheckIn.objects.all():
            if c.supervisee_id in scope and _in(c.occurred_on, period):
                add(c.kind)
    elif key == "supervision.visits":
        for v in Visit.objects.all():
            if v.supervisee_id in scope and _in(v.visited_on, period):
                add(v.kind)
    elif key == "assessment.received":
        for a in Assessment.objects.all():
            if a.supervisee_id in scope and a.status != AssessmentStatus.CANCELLED and _in(a.received_on, period):
                add("")
    elif key == "assessment.reports":
        for r in AssessmentReport.objects.select_related("assessment"):
            if r.assessment.supervisee_id in scope and _in(r.issued_on, period):
                due = r.assessment.due_on
                add("no_deadline" if due is None else ("on_time" if r.issued_on <= due else "late"))
    elif key == "monitoring.alerts":
        for a in Alert.objects.all():
            if a.supervisee_id in scope and _in(_local(a.raised_at), period):
                add(a.kind)
    elif key == "monitoring.open_alerts":
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone())
        for a in Alert.objects.all():
            if a.supervisee_id in scope and a.raised_at < end and (a.closed_at is None or a.closed_at >= end):
                add(a.kind)
    elif key in ("services.hours", "services.attendances"):
        for att in ServiceAttendance.objects.all():
            if att.supervisee_id in scope and _in(att.held_on, period):
                add(att.kind, att.hours if key == "services.hours" else 1)
    elif key == "supervision.flagged_app_check_ins":
        from zhengtu.selfservice.models import AppCheckIn

        for c in AppCheckIn.objects.all():
            if c.supervisee_id in scope and c.flags and _in(_local(c.received_at), period):
                add(c.status)
    elif key == "supervision.missed_spot_checks":
        from zhengtu.selfservice.models import SpotCheck, SpotCheckStatus

        for m in SpotCheck.objects.filter(status=SpotCheckStatus.MISSED):
            if m.supervisee_id in scope and _in(_local(m.due_at), period):
                add("")
    elif key == "supervision.absconding":
        from zhengtu.supervision.models.absconding import SearchRecord

        for r in SearchRecord.objects.all():
            if r.supervisee_id in scope and _in(_local(r.lost_contact_at), period):
                add(r.outcome)
    elif key == "learning.hours":
        from zhengtu.learning.models import StudySession

        for session in StudySession.objects.all():
            if session.supervisee_id in scope and session.counted_seconds > 0 and _in(session.studied_on, period):
                add("", Decimal(int(session.counted_seconds // 36)) / 100)
    elif key.startswith("reintegration."):
        from zhengtu.reintegration.models import Need, Referral

        if key == "reintegration.referrals":
            for ref in Referral.objects.select_related("need"):
                if ref.need.supervisee_id in scope and _in(ref.referred_on, period):
                    add(ref.agency_kind)
        for n in Need.objects.all():
            if n.supervisee_id not in scope:
                continue
            if key == "reintegration.needs" and _in(n.found_on, period):
                add(n.kind)
            elif key in ("reintegration.outcomes", "reintegration.placements") and _in(n.outcome_on, period):
                placed = n.outcome in ("employed", "trained")
                if n.outcome and (key == "reintegration.outcomes" or placed):
                    add(n.outcome)
    else:
        raise AssertionError(f"no independent count written for {key}")
    return counts


def _computed(user: User, key: str, period: Period, today: dt.date, sealed: set[int] | None = None) -> Counter[str]:
    table = figure_table(user, registry().figures[key], period, today=today, sealed=sealed)
    return Counter({k: v for k, v in table.totals.items() if v})


@pytest.mark.django_db
def test_every_figure_equals_an_independent_count_in_several_scopes():
    seed("county")
    today = timezone.localdate()
    periods = [
        parse_period("", today=today),
        parse_period(str(today.year), today=today),
        parse_period(f"{today.year - 1}", today=today),
    ]
    keys = [k for k, f in registry().figures.items() if f.in_tables]
    checked = 0
    nonzero = 0
    for username in USERS:
        user = User.objects.get(username=username)
        scope = _scope(user)
        for period in periods:
            assert period is not None
            for key in keys:
                expected = _expected(key, scope, period, today)
                computed = _computed(user, key, period, today)
                expected = Counter(
                    {
                        k: (Decimal(v) if key in ("services.hours", "learning.hours") else v)
                        for k, v in expected.items()
                        if v
                    }
                )
                assert computed == expected, (username, period.code, key)
                checked += 1
                nonzero += bool(expected)
    assert checked == len(USERS) * len(periods) * len(keys)
    assert nonzero > len(keys)  # the demo has records of most kinds: the comparison is not of zeros

    # Out-of-scope records exist and are not counted: the two counties add up to the city, with nothing shared.
    xupu, chenxi = User.objects.get(username="bureau_xupu"), User.objects.get(username="bureau_chenxi")
    assert not (_scope(xupu) & _scope(chenxi))
    year = periods[1]
    key = "registry.in_register_by_type"
    city_total = sum(_expected(key, _scope(xupu) | _scope(chenxi), year, today).values())
    assert (
        sum(_computed(xupu, key, year, today).values()) + sum(_computed(chenxi, key, year, today).values())
        == city_total
    )
    assert sum(_computed(chenxi, key, year, today).values()) > 0

    # Sealed records (CPL art. 286) are left out: the county's count drops by exactly those in register.
    people = list(Supervisee.objects.filter(pk__in=_scope(xupu), status=Status.UNDER_SUPERVISION)[:3])
    sealed = {p.pk for p in people}
    before = _computed(xupu, key, periods[0], today)
    after = _computed(xupu, key, periods[0], today, sealed=sealed)
    assert sum(before.values()) - sum(after.values()) == len(sealed)
