"""Help with returning to society (社会适应性帮扶, Community Corrections Law arts. 35–43).

A need found for a supervisee (by the assessment or by the officer) is referred to an agency that can help,
what was done is recorded as dated actions, and the need is closed with an outcome. Vocational trainings and
job placements among the outcomes count in the person's correction plan (panels.plan_panel).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.supervisees.models import Supervisee


class NeedKind(models.TextChoices):
    RIGHTS = "rights", _("Rights protection")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT_GUIDANCE = "employment_guidance", _("Employment guidance")
    SCHOOLING = "schooling", _("Help with schooling")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    TEMPORARY_RELIEF = "temporary_relief", _("Temporary relief")
    OTHER = "other", pgettext_lazy("reintegration need", "Other")


class NeedSource(models.TextChoices):
    ASSESSMENT = "assessment", _("Found by the assessment")
    OFFICER = "officer", _("Found by the officer")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Awaiting referral")
    REFERRED = "referred", _("Referred")
    IN_PROGRESS = "in_progress", _("Help under way")
    CLOSED = "closed", _("Closed with an outcome")
    CANCELLED = "cancelled", _("Withdrawn")


OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.REFERRED, NeedStatus.IN_PROGRESS)


class Outcome(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    TRAINED = "trained", _("In vocational training")
    ENROLLED = "enrolled", _("Enrolled in school")
    ASSISTED = "assisted", _("Assistance granted")
    RIGHTS_UPHELD = "rights_upheld", _("Rights upheld")
    OTHER_RESOLVED = "other_resolved", _("Resolved otherwise")
    UNRESOLVED = "unresolved", _("Not resolved")


# Outcomes that count in the person's correction plan and in the placement figures.
PLACEMENT_OUTCOMES = (Outcome.EMPLOYED, Outcome.TRAINED)


class AgencyKind(models.TextChoices):
    HUMAN_RESOURCES = "human_resources", _("Human-resources office")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs office")
    SCHOOL = "school", _("School")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", pgettext_lazy("agency kind", "Other")


class Need(models.Model):
    supervisee = models.ForeignKey(
        Supervisee, on_delete=models.PROTECT, related_name="reintegration_needs", verbose_name=_("supervisee")
    )
    kind = models.CharField(_("kind of need"), max_length=30, choices=NeedKind.choices)
    source = models.CharField(_("found by"), max_length=20, choices=NeedSource.choices, default=NeedSource.OFFICER)
    # The assessment whose need domain this came from (source = assessment).
    assessment = models.ForeignKey(
        "assessment.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment_domain = models.CharField(max_length=60, blank=True)
    description = models.TextField(pgettext_lazy("reintegration", "description"), max_length=1000)
    found_on = models.DateField(_("found on"))
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    outcome_notes = models.TextField(_("notes on the outcome"), max_length=1000, blank=True)
    cancel_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reintegration need")
        verbose_name_plural = _("reintegration needs")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["status", "found_on"]), models.Index(fields=["outcome", "outcome_on"])]

    def __str__(self) -> str:
        return f"{self.supervisee} · {self.get_kind_display()} · {self.found_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Referral(models.Model):
    """The need handed to an agency that can help (人社部门, 民政部门, a school, an employer)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="referrals")
    agency_kind = models.CharField(_("kind of agency"), max_length=30, choices=AgencyKind.choices)
    agency_name = models.CharField(pgettext_lazy("reintegration", "agency"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone_encrypted = models.TextField(editable=False, default="")
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, editable=False, default="")
    referred_on = models.DateField(_("referred on"))
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency_name} · {self.referred_on}"


class HelpAction(models.Model):
    """One thing done about the need, with its date (a call, a training course started, an application)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="actions")
    done_on = models.DateField(_("date"))
    description = models.CharField(pgettext_lazy("reintegration", "what was done"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help action")
        verbose_name_plural = _("help actions")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.done_on} · {self.description[:40]}"
