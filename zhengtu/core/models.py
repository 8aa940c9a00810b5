"""Abstract model bases shared by apps (no tables of their own)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UploadedFile(models.Model):
    """A file a user uploaded: who, when, and the name it had on their computer (stored names are generated).

    Subclasses declare `file` themselves, with their own upload folder and label.
    """

    file: models.FileField
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name or self.file.name
