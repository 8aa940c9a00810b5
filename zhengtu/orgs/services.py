"""Writes to the organisation tree. Paths are maintained here and nowhere else."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from .models import Division, Organisation


@transaction.atomic
def create_organisation(
    *, name: str, kind: str, parent: Organisation | None = None, division: Division | None = None, **fields: object
) -> Organisation:
    org = Organisation(name=name, kind=kind, parent=parent, division=division, **fields)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    return org


@transaction.atomic
def move_organisation(*, organisation: Organisation, new_parent: Organisation | None) -> Organisation:
    organisation.parent = new_parent
    organisation.full_clean(exclude=["path"])
    old_path = organisation.path
    new_path = f"{new_parent.path if new_parent else '/'}{organisation.pk}/"
    Organisation.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    organisation.save(update_fields=["parent"])
    organisation.refresh_from_db()
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, **fields: object) -> Organisation:
    parent = fields.pop("parent", organisation.parent)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["path", "parent"])
    organisation.save()
    if parent != organisation.parent:
        assert parent is None or isinstance(parent, Organisation)
        organisation = move_organisation(organisation=organisation, new_parent=parent)
    return organisation
