"""What the app itself keeps: receipts of posted actions, so that a replayed action is never stored twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ActionReceipt(models.Model):
    """One POST from the app, by its idempotency key (made by the phone when the action was first tried).

    Reserved before the action runs (status 0 = in progress), completed with the answer the server gave; a replay
    of the same key gets that same answer back instead of running the action again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="selfservice_receipt_unique_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"

    @property
    def completed(self) -> bool:
        return self.status_code != 0
