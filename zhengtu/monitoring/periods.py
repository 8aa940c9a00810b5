"""Whether monitoring of a supervisee through a device is authorised at a moment.

The one place that decides it. Law art. 29: electronic monitoring needs the county bureau's
approval, at most 3 months a period, each extension at most 3 months. When the supervision module
holds the approval (`supervision.selectors.approved_monitoring_period`), a device binding must lie
inside an approved period (a period and its extensions joined). The manual binding by a bureau
administrator, with the paper approval's reference, is the fallback only where Zhengtu holds no
approval request for the person (or the supervision module is not installed): a pending or refused
request is never bypassed by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability, can

if TYPE_CHECKING:
    from zhengtu.audit.services import Actor
    from zhengtu.supervisees.models import Supervisee

SUPERVISION_APP = "zhengtu.supervision"


class BindingPeriod(Protocol):
    starts_at: dt.datetime
    ends_at: dt.datetime
    unbound_at: dt.datetime | None


def binding_in_force(binding: BindingPeriod, at: dt.datetime) -> bool:
    """Bindings are checked against the approval when they are made (`authorise_binding`), so the
    ingest path needs only the binding's own window."""
    if binding.unbound_at is not None and at >= binding.unbound_at:
        return False
    return binding.starts_at <= at < binding.ends_at


@dataclass(frozen=True)
class Authority:
    """What a binding executes: an approved period of the supervision module, or a manual decision."""

    approved: bool
    reference: str


def _local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _supervision_requests(supervisee: Supervisee) -> list[tuple[str, dt.date, dt.date]]:
    """(status, start, end) of every monitoring request of the person that was not withdrawn."""
    if not apps.is_installed(SUPERVISION_APP):
        return []
    from zhengtu.supervision.models import ApprovalStatus, MonitoringApproval

    rows = (
        MonitoringApproval.objects.filter(supervisee=supervisee)
        .exclude(approval__status=ApprovalStatus.WITHDRAWN)
        .values_list("approval__status", "start_date", "end_date")
    )
    return [(str(status), start, end) for status, start, end in rows]


# Law art. 29: one period of electronic monitoring lasts at most three months. The setting that can change
# it belongs to the approval workflow (supervision.rules, "max_period_months"); this is only the law's
# own figure for an installation without that module.
LAW_MAX_PERIOD_MONTHS = 3


def max_period_months() -> int:
    """The longest monitoring period, in months: the one art. 29 setting, read from its owner."""
    if not apps.is_installed(SUPERVISION_APP):
        return LAW_MAX_PERIOD_MONTHS
    from zhengtu.supervision.rules import monitoring_rules

    return int(monitoring_rules().max_period_months)


def approved_window(supervisee: Supervisee, at: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """The approved monitoring period covering `at` as local date-times [first day 00:00, day after last)."""
    if not apps.is_installed(SUPERVISION_APP):
        return None
    from zhengtu.supervision.selectors import approved_monitoring_period

    period = approved_monitoring_period(supervisee, timezone.localdate(at))
    if period is None:
        return None
    return _local_start(period[0]), _local_start(period[1] + dt.timedelta(days=1))


def authorise_binding(
    *, actor: Actor | None, supervisee: Supervisee, starts_at: dt.datetime, ends_at: dt.datetime, reference: str
) -> Authority:
    """Refuse a binding outside what was approved; say what the binding executes."""
    requests = _supervision_requests(supervisee)
    if not requests:
        if actor is not None and actor.user is not None and not can(actor.user, Capability.APPROVE_BUREAU):
            raise ValidationError(
                {
                    "supervisee": _(
                        "No electronic monitoring approval is recorded for this person: only the county bureau "
                        "may bind a device by hand, citing its approval document."
                    )
                }
            )
        return Authority(approved=False, reference=reference)
    window = approved_window(supervisee, starts_at)
    if window is None:
        approved = sorted((start, end) for status, start, end in requests if status == "approved")
        if approved:
            periods = "、".join(f"{start.isoformat()}—{end.isoformat()}" for start, end in approved)
            message = _("The binding must start within an approved electronic monitoring period (%(periods)s).") % {
                "periods": periods
            }
        elif any(status == "pending" for status, _start, _end in requests):
            message = _(
                "Electronic monitoring of this person awaits the county bureau's approval: bind the device once "
                "it is approved."
            )
        else:
            message = _("The county bureau did not approve electronic monitoring of this person.")
        raise ValidationError({"starts_at": message})
    first, after_last = window
    if ends_at > after_last:
        last_day = (after_last - dt.timedelta(days=1)).date()
        raise ValidationError(
            {
                "ends_at": _(
                    "The approved electronic monitoring period ends on %(date)s: the binding must end by then "
                    "(extend the approval to go on)."
                )
                % {"date": last_day.isoformat()}
            }
        )
    approved_reference = _("Electronic monitoring approved from %(start)s to %(end)s") % {
        "start": first.date().isoformat(),
        "end": (after_last - dt.timedelta(days=1)).date().isoformat(),
    }
    return Authority(approved=True, reference=reference or approved_reference)
