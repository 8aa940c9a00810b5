"""Who may write what: the refusal every supervision service gives (through core.access.acting_user), and the
state checks they share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.supervisees.models import Status, Supervisee

# What a refused caller is told: services check with core.access.acting_user(actor, capability, refusal=NOT_ALLOWED).
NOT_ALLOWED = gettext_lazy("You are not allowed to do this.")


def require_under_supervision(supervisee: Supervisee) -> None:
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise ValidationError(
            _("%(name)s is not under supervision (status: %(status)s).")
            % {"name": supervisee.name, "status": supervisee.get_status_display()}
        )
