"""Writes to the organisation tree. Paths are maintained here and nowhere else.

`actor` is optional so that demo data and tests can build trees; when it names a user who is
not a superuser, the write must stay inside that user's subtree, and every write with an actor
is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from zhengtu.accounts.roles import Capability
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.access import require_capability

from .models import ALLOWED_PARENT_KINDS, Division, Organisation

EDITABLE_FIELDS = ("name", "kind", "division", "address", "phone", "is_active")


@transaction.atomic
def create_organisation(
    *,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    division: Division | None = None,
    actor: Actor | None = None,
    **fields: Any,
) -> Organisation:
    _check_parent_in_scope(actor, parent)
    org = Organisation(name=name, kind=kind, parent=parent, division=division, **fields)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    if actor is not None:
        record_event(actor, action=Action.CREATE, target=org, detail={"kind": kind, "parent": _label(parent)})
    return org


@transaction.atomic
def move_organisation(
    *, organisation: Organisation, new_parent: Organisation | None, actor: Actor | None = None
) -> Organisation:
    user = _scoped_user(actor)
    if user is not None:
        assert user.organisation is not None
        if organisation.pk == user.organisation.pk:
            raise ValidationError({"parent": _("You cannot move the organisation you work in.")})
        _check_in_scope(user, organisation)
        _check_parent_in_scope(actor, new_parent)
    old_parent = organisation.parent
    organisation.parent = new_parent
    organisation.full_clean(exclude=["path"])
    old_path = organisation.path
    new_path = f"{new_parent.path if new_parent else '/'}{organisation.pk}/"
    Organisation.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    organisation.save(update_fields=["parent"])
    organisation.refresh_from_db()
    if actor is not None:
        record_event(
            actor,
            action=Action.UPDATE,
            target=organisation,
            detail={"moved_from": _label(old_parent), "moved_to": _label(new_parent)},
        )
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, actor: Actor | None = None, **fields: Any) -> Organisation:
    user = _scoped_user(actor)
    if user is not None:
        _check_in_scope(user, organisation)
    parent = fields.pop("parent", organisation.parent)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(organisation, name) != value]
    for name, value in fields.items():
        setattr(organisation, name, value)
    if "kind" in changed:
        _check_children_fit(organisation)
    # Validated against the current parent (unique name among siblings, kind under parent); a
    # move below is validated again against the new parent.
    organisation.full_clean(exclude=["path"])
    organisation.save()
    if changed and actor is not None:
        record_event(actor, action=Action.UPDATE, target=organisation, detail={"fields": changed})
    if parent != organisation.parent:
        assert parent is None or isinstance(parent, Organisation)
        organisation = move_organisation(organisation=organisation, new_parent=parent, actor=actor)
    return organisation


def _check_children_fit(organisation: Organisation) -> None:
    for child in organisation.children.all():
        if organisation.kind not in ALLOWED_PARENT_KINDS.get(child.kind, set()):
            raise ValidationError(
                {
                    "kind": _("“%(child)s” cannot stay under an organisation of this kind; move it first.")
                    % {"child": child.name}
                }
            )


def _scoped_user(actor: Actor | None) -> Any:
    """The acting user whose subtree limits this write, or None when nothing limits it."""
    user = actor.user if actor is not None else None
    if user is None or user.is_superuser:
        return None
    # The page checks this too; checking here means the API, the admin and any later caller cannot differ.
    require_capability(user, Capability.MANAGE_ORGANISATIONS)
    if user.organisation is None:
        raise ValidationError(_("Your account does not belong to an organisation."))
    return user


def _check_in_scope(user: Any, organisation: Organisation) -> None:
    if not organisation.path.startswith(user.organisation.path):
        raise ValidationError(_("This organisation is outside the part of the tree you manage."))


def _check_parent_in_scope(actor: Actor | None, parent: Organisation | None) -> None:
    user = _scoped_user(actor)
    if user is None:
        return
    if parent is None:
        raise ValidationError({"parent": _("Choose a parent organisation inside the part of the tree you manage.")})
    if not parent.path.startswith(user.organisation.path):
        raise ValidationError({"parent": _("This parent is outside the part of the tree you manage.")})


def _label(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else ""
