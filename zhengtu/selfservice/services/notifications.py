"""Notifications to the supervisee: in-app always (workspace.notify), Web Push where their browser subscribed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.supervisees.models import Supervisee
from zhengtu.workspace.services import notify

from ..models import PushSubscription
from ..push import endpoint_allowed


def notify_supervisee(supervisee: Supervisee, *, title: str, body: str = "", url: str = "", kind: str = "") -> int:
    user = supervisee.user
    if user is None:
        return 0
    count = notify([user], title=title, body=body, url=url, kind=kind)
    payload = {"title": title, "body": body, "url": url or "/app/"}
    transaction.on_commit(lambda: _queue_push(user.pk, payload))
    return count


def _queue_push(user_id: int, payload: dict[str, str]) -> None:
    from ..tasks import deliver_push

    deliver_push(user_id, payload)


@transaction.atomic
def subscribe(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    if not endpoint_allowed(endpoint) or len(endpoint) > 500 or not p256dh or not auth:
        raise ValidationError(_("This browser's push subscription is not valid."))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh[:200], "auth": auth[:100]}
    )
    return subscription
