from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.orgs.models import Organisation

from .roles import STAFF_ROLES, Role, can


class User(AbstractUser):
    """A person who logs in: staff of an organisation, or a supervisee."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("work phone"), max_length=30, blank=True)
    # The per-account lockout (lockout.py), across all addresses; django-axes locks (username, address).
    failed_logins = models.PositiveIntegerField(default=0, editable=False)
    failed_logins_since = models.DateTimeField(null=True, blank=True, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES or self.is_superuser

    def can(self, capability: str) -> bool:
        return can(self, capability)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
