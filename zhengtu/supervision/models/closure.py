"""The end of supervision: release when the term ends, or termination."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Supervisee


class Release(models.Model):
    """Release at the end of the term (解除社区矫正), prepared first and then completed."""

    supervisee = models.OneToOneField(Supervisee, on_delete=models.CASCADE, related_name="release")
    self_summary = models.TextField(_("the supervisee's self-summary"), blank=True)
    appraisal = models.TextField(_("the office's appraisal"), blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    announcement_place = models.CharField(_("place of announcement"), max_length=100, blank=True)
    # Release by pardon (赦免, law art. 44) instead of at the end of the term, with the pardon's decision.
    by_pardon = models.BooleanField(_("released by pardon"), default=False)
    pardon_decision = models.CharField(_("pardon decision"), max_length=200, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")


class TerminationReason(models.TextChoices):
    REVOCATION = "revocation", _("Probation or parole revoked")
    RETURN_TO_PRISON = "return_to_prison", _("Returned to prison")
    DEATH = "death", _("Death")


class Termination(models.Model):
    supervisee = models.OneToOneField(Supervisee, on_delete=models.CASCADE, related_name="termination")
    reason = models.CharField(_("reason"), max_length=20, choices=TerminationReason.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(_("decision or certificate"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")
