"""Whether monitoring of a supervisee through a device is authorised at a moment.

The one place that decides it, so that the electronic-monitoring approval of the supervision
module (law art. 29: approved by the county bureau, ≤3 months a period) can feed it later.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class BindingPeriod(Protocol):
    starts_at: dt.datetime
    ends_at: dt.datetime
    unbound_at: dt.datetime | None


def binding_in_force(binding: BindingPeriod, at: dt.datetime) -> bool:
    if binding.unbound_at is not None and at >= binding.unbound_at:
        return False
    return binding.starts_at <= at < binding.ends_at
