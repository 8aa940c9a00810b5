"""When a person cannot be reached, the search (找寻) opens by itself: the hourly scan of supervision/tasks.py.

Three signals, each with its threshold in ``absconding_rules`` (zero switches one off):

- check-ins: this many check-in intervals of the person's level have passed without a check-in;
- spot checks (点名, zhengtu/selfservice): the latest this-many spot checks were all missed;
- electronic monitoring (zhengtu/monitoring): a device bound to the person has sent nothing for this many hours.

Counting starts again after the last search was closed, so a person just found is not searched for again the next
hour for the same silence. "Out of contact since" is the moment the threshold was crossed: the earlier misses are
in the record's notes. A person with an open search is skipped; ``open_search_automatically`` never opens a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.monitoring.models import DeviceBinding
from zhengtu.selfservice.models import SpotCheck, SpotCheckStatus
from zhengtu.supervisees.models import Status, Supervisee

from ..models import CheckIn, CheckInKind, SearchRecord, SearchTrigger
from ..rules import AbscondingRules, absconding_rules, frequency_for
from .absconding import open_search_automatically


@dataclass(frozen=True)
class Unreachable:
    supervisee: Supervisee
    trigger: str
    since: dt.datetime
    notes: str


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _candidates() -> QuerySet[Supervisee]:
    """People under supervision without an open search, with the end of their last search."""
    return (
        Supervisee.objects.filter(status=Status.UNDER_SUPERVISION)
        .exclude(pk__in=SearchRecord.objects.filter(closed_at__isnull=True).values("supervisee_id"))
        .annotate(last_search_closed=Max("searches__closed_at"))
    )


def missed_check_ins(*, today: dt.date, rules: AbscondingRules) -> Iterator[Unreachable]:
    if rules.missed_check_ins <= 0:
        return
    last = CheckIn.objects.filter(supervisee=OuterRef("pk"), kind=CheckInKind.CHECK_IN).order_by("-occurred_on")
    people = (
        _candidates()
        .select_related("supervision_file")
        .annotate(last_check_in=Subquery(last.values("occurred_on")[:1]))
    )
    for person in people.order_by("pk").iterator(chunk_size=2000):
        supervision_file = getattr(person, "supervision_file", None)
        base = person.last_check_in or (supervision_file.reported_on if supervision_file else None) or person.term_start
        closed = getattr(person, "last_search_closed", None)
        if closed:
            base = max(base, timezone.localdate(closed))
        interval = frequency_for(person.supervision_level).checkin_days
        # A check-in due on day D is missed from D + 1.
        missed = max(0, ((today - base).days - 1) // interval)
        if missed >= rules.missed_check_ins:
            crossed = base + dt.timedelta(days=rules.missed_check_ins * interval + 1)
            yield Unreachable(
                person,
                SearchTrigger.MISSED_CHECK_INS,
                _start_of(crossed),
                _("%(count)d check-ins in a row missed; last contact on %(date)s.")
                % {"count": missed, "date": base.isoformat()},
            )


def missed_spot_checks(*, rules: AbscondingRules) -> Iterator[Unreachable]:
    if rules.missed_spot_checks <= 0:
        return
    ids = (
        SpotCheck.objects.filter(status=SpotCheckStatus.MISSED, supervisee__status=Status.UNDER_SUPERVISION)
        .values("supervisee_id")
        .annotate(missed=Count("pk"))
        .filter(missed__gte=rules.missed_spot_checks)
        .values("supervisee_id")
    )
    for person in _candidates().filter(pk__in=ids).order_by("pk"):
        settled = SpotCheck.objects.filter(
            supervisee=person, status__in=[SpotCheckStatus.MISSED, SpotCheckStatus.ANSWERED]
        )
        closed = getattr(person, "last_search_closed", None)
        if closed:
            settled = settled.filter(due_at__gt=closed)
        latest = list(settled.order_by("-due_at")[: rules.missed_spot_checks])
        if len(latest) == rules.missed_spot_checks and all(s.status == SpotCheckStatus.MISSED for s in latest):
            yield Unreachable(
                person,
                SearchTrigger.MISSED_SPOT_CHECK,
                latest[0].due_at,
                _("%(count)d spot checks in a row not answered; the first was due at %(time)s.")
                % {"count": len(latest), "time": timezone.localtime(latest[-1].due_at).strftime("%Y-%m-%d %H:%M")},
            )


def silent_devices(*, now: dt.datetime, rules: AbscondingRules) -> Iterator[Unreachable]:
    if rules.device_offline_hours <= 0:
        return
    limit = dt.timedelta(hours=rules.device_offline_hours)
    bindings = (
        DeviceBinding.objects.filter(unbound_at__isnull=True, starts_at__lte=now, ends_at__gte=now)
        .filter(supervisee__in=_candidates().values("pk"))
        .filter(Q(device__state__last_seen_at__isnull=True) | Q(device__state__last_seen_at__lt=now - limit))
        .select_related("device", "device__state", "supervisee")
        .order_by("supervisee_id", "starts_at")
    )
    last_closed = dict(
        SearchRecord.objects.filter(supervisee__in=bindings.values("supervisee_id"), closed_at__isnull=False)
        .values_list("supervisee_id")
        .annotate(Max("closed_at"))
    )
    seen: set[int] = set()
    for binding in bindings:
        if binding.supervisee_id in seen:
            continue
        state = getattr(binding.device, "state", None)
        heard = (state.last_seen_at if state else None) or binding.starts_at
        since = max(heard, last_closed.get(binding.supervisee_id) or heard)
        if now - since >= limit:
            seen.add(binding.supervisee_id)
            yield Unreachable(
                binding.supervisee,
                SearchTrigger.DEVICE_OFFLINE,
                since + limit,
                _("%(device)s silent since %(time)s.")
                % {"device": binding.device, "time": timezone.localtime(heard).strftime("%Y-%m-%d %H:%M")},
            )


def unreachable(*, now: dt.datetime) -> Iterator[Unreachable]:
    rules = absconding_rules()
    yield from missed_check_ins(today=timezone.localdate(now), rules=rules)
    yield from missed_spot_checks(rules=rules)
    yield from silent_devices(now=now, rules=rules)


def open_searches_for_unreachable(*, now: dt.datetime | None = None) -> int:
    """Open a search for everyone who cannot be reached and has none open. Returns how many were opened."""
    now = now or timezone.now()
    opened: set[int] = set()
    for found in unreachable(now=now):
        if found.supervisee.pk in opened:
            continue
        record = open_search_automatically(
            supervisee=found.supervisee, trigger=found.trigger, lost_contact_at=found.since, notes=found.notes
        )
        if record is not None:
            opened.add(found.supervisee.pk)
    return len(opened)
