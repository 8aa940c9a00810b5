"""Keeping learning consistent with the services ledger when staff delete a record there."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from zhengtu.services.models import ServiceRecord

from .models import GroupSession


@receiver(pre_delete, sender=ServiceRecord, dispatch_uid="learning_group_session_ledger_record_deleted")
def ledger_record_deleted(sender: Any, instance: ServiceRecord, **kwargs: Any) -> None:
    """A group session's ledger record deleted: its hours are gone from the ledger, so learning must not count them
    instead (the record's foreign key on the session becomes NULL, which alone would make learning count them)."""
    GroupSession.objects.filter(service_record=instance).update(ledger_record_deleted=True)
