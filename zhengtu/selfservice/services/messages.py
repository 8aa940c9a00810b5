"""Messages between a supervisee and the staff responsible for them. There is no way to address another supervisee:
a thread belongs to one person, and only that person and staff who can see them take part."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can, is_supervisee
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.supervisees.models import Assignment, AssignmentRole, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.workspace.services import notify

from ..models import Message
from .notifications import notify_supervisee

MAX_LENGTH = 2000


def staff_of(supervisee: Supervisee) -> list[User]:
    """Who reads the person's messages: the responsible officer and the assigned officers and social workers."""
    people: list[User] = [supervisee.responsible_officer] if supervisee.responsible_officer else []
    assigned = Assignment.objects.filter(
        supervisee=supervisee,
        ended_at__isnull=True,
        role__in=[AssignmentRole.OFFICER, AssignmentRole.SOCIAL_WORKER],
    ).select_related("user")
    people.extend(item.user for item in assigned)
    return [person for person in dict.fromkeys(people) if person.is_active]


def can_write_to(user: User, supervisee: Supervisee) -> bool:
    if user.pk is not None and user.pk == supervisee.user_id:
        return True
    if not (can(user, Capability.SUPERVISE) or can(user, Capability.RECORD_SERVICES)):
        return False
    return supervisees_visible_to(user).filter(pk=supervisee.pk).exists()


@transaction.atomic
def send_message(*, actor: Actor, supervisee: Supervisee, body: str) -> Message:
    user = actor.user
    if user is None or not can_write_to(user, supervisee):
        raise PermissionDenied(_("You are not allowed to do this."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > MAX_LENGTH:
        raise ValidationError({"body": _("A message has at most %(n)d characters.") % {"n": MAX_LENGTH}})
    from_supervisee = user.pk == supervisee.user_id
    message = Message.objects.create(supervisee=supervisee, author=user, from_supervisee=from_supervisee, body=body)
    if from_supervisee:
        notify(
            staff_of(supervisee),
            title=_("Message from %(name)s") % {"name": supervisee.name},
            body=body[:200],
            url=reverse("appstaff:messages", args=[supervisee.pk]),
            kind="app_message",
        )
    else:
        notify_supervisee(
            supervisee,
            title=_("New message from %(name)s") % {"name": user.display_name},
            body=body[:200],
            url=reverse("selfservice:messages"),
            kind="app_message",
        )
    record_event(actor, action=Action.CREATE, target=message, detail={"supervisee": supervisee.pk})
    return message


def mark_read(*, reader: User, messages: QuerySet[Message]) -> int:
    """The other side's messages in the thread are read now (the supervisee reads staff's, staff read theirs)."""
    from_supervisee = not is_supervisee(reader)
    return messages.filter(from_supervisee=from_supervisee, read_at__isnull=True).update(read_at=timezone.now())
