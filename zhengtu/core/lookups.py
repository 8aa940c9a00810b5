"""The one get-or-404: what every scoped selector ends with when it fetches an object named in a URL.

A selector narrows the queryset to what the acting user may see; this turns "not there", "not yours" and "not
an id at all" into the same 404, so an outsider cannot tell a foreign record from a missing one, and a
malformed or out-of-range id never reaches the database (it would be a 500 there).
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.manager import Manager
from django.http import Http404

from zhengtu.core.query import parse_int

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M] | Manager[M], pk: object) -> M:
    """The object of `queryset` (or a related manager) with this primary key, or Http404 (also for an id that is not a usable number)."""
    number = parse_int(pk)
    if number is None:
        raise Http404
    try:
        return queryset.get(pk=number)
    except ObjectDoesNotExist as error:
        raise Http404 from error
