"""Juvenile judicial social work (GB/T 42380-2023): one file per child (一人一档) and what is done in it.

A juvenile case is not a supervisee record: when the child later comes under community correction the two are
linked (`JuvenileCase.supervisee`), and the juvenile file keeps its own, sealed, access rule
(`selectors.cases_visible_to`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation


class ServiceType(models.TextChoices):
    """The seven services of GB/T 42380-2023, chapters 5–11."""

    MISCONDUCT_INTERVENTION = "misconduct", _("Intervention in misconduct")  # 不良行为干预
    SERIOUS_MISCONDUCT = "serious_misconduct", _("Correction of serious misconduct")  # 严重不良行为矫治教育
    APPROPRIATE_ADULT = "appropriate_adult", _("Appropriate adult")  # 合适成年人
    SOCIAL_INVESTIGATION = "social_investigation", _("Social investigation")  # 社会调查
    HELP_AND_EDUCATION = "help_education", _("Help and education")  # 帮教
    VICTIM_PROTECTION = "victim_protection", _("Victim protection and assistance")  # 被害人保护救助
    FAMILY_CASE = "family_case", _("Guardianship in family cases")  # 家事案件观护


class Stage(models.TextChoices):
    """The service process of the standard: 接案 → 预估 → 计划 → 服务 → 评估 → 结案, then follow-up."""

    REFERRED = "referred", pgettext_lazy("juvenile stage", "Referred, not yet accepted")
    INTAKE = "intake", pgettext_lazy("juvenile stage", "Intake")  # 接案
    ASSESSMENT = "assessment", pgettext_lazy("juvenile stage", "Needs assessment")  # 预估
    PLAN = "plan", pgettext_lazy("juvenile stage", "Service plan")  # 计划
    SERVICE = "service", pgettext_lazy("juvenile stage", "Service delivery")  # 服务
    EVALUATION = "evaluation", pgettext_lazy("juvenile stage", "Evaluation")  # 评估
    CLOSED = "closed", pgettext_lazy("juvenile stage", "Closed")  # 结案
    FOLLOW_UP = "follow_up", pgettext_lazy("juvenile stage", "Follow-up")  # 跟进


# The order a case moves through; follow-up may only come after closure.
STAGE_ORDER = [s.value for s in Stage]


class ReferrerKind(models.TextChoices):
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COURT = "court", _("Court")
    POLICE = "police", _("Police")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class JuvenileCase(models.Model):
    number = models.CharField(_("case number"), max_length=40, unique=True)
    service_type = models.CharField(_("service type"), max_length=30, choices=ServiceType.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REFERRED)
    child_name = models.CharField(_("child's name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    school_or_work = models.CharField(_("school or work"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    summary = models.TextField(_("reason for referral"), blank=True)
    # Where the case is handled: the county bureau it belongs to and the agency whose social workers serve it.
    county = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="juvenile_cases", verbose_name=_("county")
    )
    agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="juvenile_cases_served",
        verbose_name=_("social-work agency"),
    )
    referrer_kind = models.CharField(_("referred by"), max_length=20, choices=ReferrerKind.choices)
    referring_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="juvenile_referrals",
        verbose_name=_("referring procuratorate"),
    )
    referrer_name = models.CharField(_("referring unit"), max_length=100, blank=True)
    referred_on = models.DateField(_("referred on"))
    child_consent = models.BooleanField(_("the child consents"), default=False)
    guardian_consent = models.BooleanField(_("the guardian consents"), default=False)
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    supervisee = models.ForeignKey(
        "supervisees.Supervisee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked supervisee record"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    retain_until = models.DateField(_("kept until"), null=True, blank=True)
    # Record sealing (犯罪记录封存, CPL art. 286).
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    seal_basis = models.CharField(_("basis for sealing"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("juvenile case")
        verbose_name_plural = _("juvenile cases")
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["county", "sealed_at"]), models.Index(fields=["agency", "sealed_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class CaseMember(models.Model):
    """A person on the case: the only ones who see it once it is sealed."""

    case = models.ForeignKey(JuvenileCase, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="juvenile_memberships")
    role = models.CharField(_("role on the case"), max_length=50)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_membership_per_case_user")]


class Guardian(models.Model):
    case = models.ForeignKey(JuvenileCase, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    relation = models.CharField(_("relation to the child"), max_length=30)
    phone_encrypted = models.TextField(editable=False, default="")
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, default="")
    is_appropriate_adult = models.BooleanField(_("attends as the appropriate adult"), default=False)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")


class CaseRecord(models.Model):
    """One step of the service process with what was done (the record behind each stage)."""

    case = models.ForeignKey(JuvenileCase, on_delete=models.CASCADE, related_name="records")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    recorded_on = models.DateField(_("date"))
    content = models.TextField(_("what was done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service process record")
        verbose_name_plural = _("service process records")
        ordering = ["recorded_on", "id"]


class InformantKind(models.TextChoices):
    CHILD = "child", _("The child")
    GUARDIAN = "guardian", _("Guardian")
    SCHOOL = "school", _("School")
    NEIGHBOUR = "neighbour", _("Neighbours")
    POLICE_STATION = "police_station", _("Police station")
    EMPLOYER = "employer", _("Employer")
    VILLAGE = "village", _("Village or community committee")
    OTHER = "other", _("Other")


class InvestigationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent to the requesting organ")


# The sections of the report (2020 procuratorial document samples; CPL art. 279).
REPORT_SECTIONS = (
    ("personal_details", _("Personal details")),
    ("growth_history", _("Growth history")),
    ("family_and_guardianship", _("Family structure and guardianship")),
    ("school_or_work", _("Schooling or work")),
    ("personality", _("Personality and behaviour")),
    ("conduct_after_offence", _("Conduct after the offence")),
    ("causes", _("Causes of the offence")),
    ("conclusions", _("Conclusions")),
    ("recommendations", _("Recommendations")),
)


class SocialInvestigation(models.Model):
    """A social investigation (社会调查) requested by a procuratorate or court, and its report."""

    case = models.ForeignKey(JuvenileCase, on_delete=models.CASCADE, related_name="investigations")
    requested_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requesting_organ = models.CharField(_("requesting organ"), max_length=100)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InvestigationStatus.choices, default=InvestigationStatus.REQUESTED
    )
    personal_details = models.TextField(_("Personal details"), blank=True)
    growth_history = models.TextField(_("Growth history"), blank=True)
    family_and_guardianship = models.TextField(_("Family structure and guardianship"), blank=True)
    school_or_work = models.TextField(_("Schooling or work"), blank=True)
    personality = models.TextField(_("Personality and behaviour"), blank=True)
    conduct_after_offence = models.TextField(_("Conduct after the offence"), blank=True)
    causes = models.TextField(_("Causes of the offence"), blank=True)
    conclusions = models.TextField(_("Conclusions"), blank=True)
    recommendations = models.TextField(_("Recommendations"), blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    document = models.ForeignKey("JuvenileDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("social investigation")
        verbose_name_plural = _("social investigations")
        ordering = ["-requested_on", "-id"]


class Interview(models.Model):
    """One informant interviewed for a social investigation."""

    investigation = models.ForeignKey(SocialInvestigation, on_delete=models.CASCADE, related_name="interviews")
    informant_kind = models.CharField(_("informant"), max_length=20, choices=InformantKind.choices)
    informant_name = models.CharField(_("informant's name"), max_length=50)
    held_on = models.DateField(_("interviewed on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    # Which report section the statement informs.
    section = models.CharField(_("report section"), max_length=30, choices=REPORT_SECTIONS)
    statement = models.TextField(_("what the informant said"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("social investigation interview")
        verbose_name_plural = _("social investigation interviews")
        ordering = ["held_on", "id"]


class AppropriateAdult(models.Model):
    """The roster of appropriate adults (合适成年人, CPL art. 281) a county can call on."""

    county = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    unit = models.CharField(_("work unit"), max_length=100, blank=True)
    phone_encrypted = models.TextField(editable=False, default="")
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, default="")
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    is_active = models.BooleanField(_("on the roster"), default=True)

    class Meta:
        verbose_name = _("appropriate adult")
        verbose_name_plural = _("appropriate adults")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AdultRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSIGNED = "assigned", _("Assigned")
    ATTENDED = "attended", _("Attended")
    NOT_ATTENDED = "not_attended", _("Did not attend")


class AppropriateAdultRequest(models.Model):
    case = models.ForeignKey(JuvenileCase, on_delete=models.CASCADE, related_name="adult_requests")
    requested_by = models.CharField(_("requesting organ"), max_length=100)
    questioning_at = models.DateTimeField(_("questioning at"))
    place = models.CharField(_("place"), max_length=100)
    adult = models.ForeignKey(
        AppropriateAdult, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("appropriate adult")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AdultRequestStatus.choices, default=AdultRequestStatus.REQUESTED
    )
    attended_from = models.DateTimeField(_("attended from"), null=True, blank=True)
    attended_until = models.DateTimeField(_("attended until"), null=True, blank=True)
    notes = models.TextField(_("the adult's notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appropriate adult request")
        verbose_name_plural = _("appropriate adult requests")
        ordering = ["-questioning_at"]


class NonProsecutionStatus(models.TextChoices):
    TESTING = "testing", _("Test period running")
    COMPLETED = "completed", _("Completed: not prosecuted")
    REVOKED = "revoked", _("Revoked: prosecuted")


class NonProsecutionSupervision(models.Model):
    """Supervision during the test period of a conditional non-prosecution (附条件不起诉, CPL arts. 282–284)."""

    case = models.OneToOneField(JuvenileCase, on_delete=models.CASCADE, related_name="non_prosecution")
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"))
    test_months = models.PositiveSmallIntegerField(_("test period (months)"))
    ends_on = models.DateField(_("test period ends on"))
    obligations = models.TextField(_("obligations"))
    report_every_days = models.PositiveSmallIntegerField(_("report to the procuratorate every (days)"), default=30)
    status = models.CharField(
        _("status"), max_length=20, choices=NonProsecutionStatus.choices, default=NonProsecutionStatus.TESTING
    )
    final_assessment = models.TextField(_("end-of-period assessment"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("conditional non-prosecution supervision")
        verbose_name_plural = _("conditional non-prosecution supervisions")


class PeriodicReport(models.Model):
    supervision = models.ForeignKey(NonProsecutionSupervision, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    content = models.TextField(_("how the child kept the obligations"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["period_end", "id"]


def _document_upload_to(instance: JuvenileDocument, filename: str) -> str:
    return f"juvenile/{instance.case_id}/{filename}"


class JuvenileDocument(models.Model):
    """A service document as generated; stored beside the case so it is sealed with it."""

    case = models.ForeignKey(JuvenileCase, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=100)
    title = models.CharField(_("title"), max_length=200)
    pdf = models.FileField(upload_to=_document_upload_to)
    docx = models.FileField(upload_to=_document_upload_to, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("juvenile service document")
        verbose_name_plural = _("juvenile service documents")
        ordering = ["created_at", "id"]


class SealedReadStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SealedReadRequest(models.Model):
    """Someone not on a sealed case asks to read it, giving the legal basis (查询依据)."""

    # What the requester typed; the case is matched without telling them whether it exists.
    case_number = models.CharField(_("case number"), max_length=40)
    case = models.ForeignKey(
        JuvenileCase, null=True, blank=True, on_delete=models.CASCADE, related_name="read_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    legal_basis = models.TextField(_("legal basis"))
    status = models.CharField(
        _("status"), max_length=20, choices=SealedReadStatus.choices, default=SealedReadStatus.PENDING
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sealed record read request")
        verbose_name_plural = _("sealed record read requests")
        ordering = ["-created_at"]
