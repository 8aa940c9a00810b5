from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry, AuditPurge


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log is append-only: the admin may look, never add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "sequence",
        "occurred_at",
        "username",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "ip_address",
    )
    list_filter = ("action", "outcome")
    search_fields = ("username", "object_id", "object_label")
    date_hierarchy = "occurred_at"


@admin.register(AuditPurge)
class AuditPurgeAdmin(ReadOnlyAdmin):
    list_display = ("purged_at", "through_sequence", "entry_count", "cutoff")
