"""The mark of a demonstration database, so demo data never lands in a real installation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDatabase(models.Model):
    """One row, written by the demo seeder when it fills an empty database.

    "Real records" are users or supervisees in a database without this mark: such a database was
    set up by people (`create_admin`, imports, the registry), so `seed_demo` refuses to touch it.
    Only an empty database becomes a demo one; a marked database stays a demo (the seeder may top it up).
    """

    seeded_at = models.DateTimeField(_("seeded at"), auto_now_add=True)
    scale = models.CharField(_("scale"), max_length=20)

    class Meta:
        verbose_name = _("demo database mark")
        verbose_name_plural = _("demo database marks")

    def __str__(self) -> str:
        return f"demo ({self.scale}, {self.seeded_at:%Y-%m-%d})"
