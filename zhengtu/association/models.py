"""The industry association's own work: trainings, members and supervisor credential filings.

Every record belongs to one association (an Organisation of kind ``association``). An association serves
the subtree of the bureau it is attached to: staff there may register for its trainings, apply to become
members and file supervisor credentials with it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from zhengtu.core.models import UploadedFile
from zhengtu.orgs.models import Organisation


def new_sign_in_key() -> str:
    return secrets.token_urlsafe(16)


# --- Trainings -------------------------------------------------------------------------------------------


class Training(models.Model):
    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=pgettext_lazy("association", "association"),
    )
    topic = models.CharField(pgettext_lazy("association", "topic"), max_length=200)
    trainer = models.CharField(pgettext_lazy("association", "trainer"), max_length=100)
    audience = models.CharField(
        pgettext_lazy("association", "audience"),
        max_length=200,
        help_text=pgettext_lazy("association", "For example: social workers stationed in justice offices."),
    )
    description = models.TextField(pgettext_lazy("association", "description"), blank=True)
    starts_at = models.DateTimeField(pgettext_lazy("association", "starts at"))
    ends_at = models.DateTimeField(pgettext_lazy("association", "ends at"))
    place = models.CharField(pgettext_lazy("association", "place"), max_length=200)
    capacity = models.PositiveIntegerField(pgettext_lazy("association", "capacity"), null=True, blank=True)
    is_cancelled = models.BooleanField(pgettext_lazy("association", "cancelled"), default=False)
    # Part of the signed QR-code token; replacing it invalidates codes already printed or shared.
    sign_in_key = models.CharField(max_length=40, default=new_sign_in_key, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("association", "training")
        verbose_name_plural = pgettext_lazy("association", "trainings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.topic


class SignInMethod(models.TextChoices):
    ACCOUNT = "account", pgettext_lazy("association", "Own account (QR code)")
    GUEST = "guest", pgettext_lazy("association", "Name and phone (QR code)")
    RECORDED = "recorded", pgettext_lazy("association", "Recorded by staff")


class TrainingRegistration(models.Model):
    """One person expected at, or present at, a training. Signed in = attended (one person-time)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="training_registrations"
    )
    name = models.CharField(pgettext_lazy("association", "name"), max_length=50)
    organisation_name = models.CharField(pgettext_lazy("association", "organisation"), max_length=100, blank=True)
    phone_encrypted = models.TextField(blank=True, default="")
    phone_index = models.CharField(max_length=64, blank=True, default="", db_index=True)
    phone_masked = models.CharField(pgettext_lazy("association", "phone"), max_length=20, blank=True, default="")
    registered_at = models.DateTimeField(pgettext_lazy("association", "registered at"), null=True, blank=True)
    signed_in_at = models.DateTimeField(pgettext_lazy("association", "signed in at"), null=True, blank=True)
    sign_in_method = models.CharField(
        pgettext_lazy("association", "sign-in method"), max_length=10, choices=SignInMethod.choices, blank=True
    )

    class Meta:
        verbose_name = pgettext_lazy("association", "training registration")
        verbose_name_plural = pgettext_lazy("association", "training registrations")
        ordering = ["training", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "user"], condition=Q(user__isnull=False), name="one_registration_per_user"
            ),
            models.UniqueConstraint(
                fields=["training", "phone_index"], condition=~Q(phone_index=""), name="one_registration_per_phone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} · {self.name}"

    @property
    def attended(self) -> bool:
        return self.signed_in_at is not None


class QuestionnaireItem(models.Model):
    """One statement of the satisfaction questionnaire, scored 1–5 by attendees."""

    association = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="questionnaire_items")
    text = models.CharField(pgettext_lazy("association", "question"), max_length=200)
    order = models.PositiveSmallIntegerField(pgettext_lazy("association", "order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("association", "in use"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("association", "questionnaire item")
        verbose_name_plural = pgettext_lazy("association", "questionnaire items")
        ordering = ["association", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class QuestionnaireResponse(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="responses")
    # Null for anonymous paper questionnaires typed in by staff.
    registration = models.OneToOneField(
        TrainingRegistration, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    comment = models.TextField(pgettext_lazy("association", "comments"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(pgettext_lazy("association", "submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("association", "questionnaire response")
        verbose_name_plural = pgettext_lazy("association", "questionnaire responses")
        ordering = ["training", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.training} #{self.pk}"


class QuestionnaireAnswer(models.Model):
    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(QuestionnaireItem, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(
        pgettext_lazy("association", "score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = pgettext_lazy("association", "questionnaire answer")
        verbose_name_plural = pgettext_lazy("association", "questionnaire answers")
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"


# --- Members ---------------------------------------------------------------------------------------------


class MemberKind(models.TextChoices):
    UNIT = "unit", pgettext_lazy("association", "Unit member")
    INDIVIDUAL = "individual", pgettext_lazy("association", "Individual member")


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("association", "Applied")
    ACTIVE = "active", pgettext_lazy("association", "Active")
    REJECTED = "rejected", pgettext_lazy("association", "Rejected")
    SUSPENDED = "suspended", pgettext_lazy("association", "Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("association", "Withdrawn")


# Which status changes an administrator may make after the decision on the application.
MEMBERSHIP_TRANSITIONS: dict[str, set[str]] = {
    MembershipStatus.APPLIED: {MembershipStatus.ACTIVE, MembershipStatus.REJECTED},
    MembershipStatus.ACTIVE: {MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN},
    MembershipStatus.SUSPENDED: {MembershipStatus.ACTIVE, MembershipStatus.WITHDRAWN},
    MembershipStatus.REJECTED: set(),
    MembershipStatus.WITHDRAWN: set(),
}

credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    pgettext_lazy("association", "A unified social credit code has 18 characters (digits and capital letters)."),
)


class Membership(models.Model):
    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=pgettext_lazy("association", "association"),
    )
    kind = models.CharField(pgettext_lazy("association", "kind"), max_length=10, choices=MemberKind.choices)
    name = models.CharField(
        pgettext_lazy("association", "name"),
        max_length=100,
        help_text=pgettext_lazy("association", "The unit's name, or the person's name."),
    )
    # A unit member that is an organisation in Zhengtu's tree (usually an agency); an individual with an account.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="association_memberships",
        verbose_name=pgettext_lazy("association", "organisation in Zhengtu"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="association_memberships",
        verbose_name=pgettext_lazy("association", "account"),
    )
    credit_code = models.CharField(
        pgettext_lazy("association", "unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    employer = models.CharField(pgettext_lazy("association", "employer"), max_length=100, blank=True)
    qualification = models.CharField(
        pgettext_lazy("association", "professional qualification"), max_length=100, blank=True
    )
    contact_person = models.CharField(pgettext_lazy("association", "contact person"), max_length=50, blank=True)
    phone = models.CharField(pgettext_lazy("association", "contact phone"), max_length=30, blank=True)
    address = models.CharField(pgettext_lazy("association", "address"), max_length=200, blank=True)
    statement = models.TextField(pgettext_lazy("association", "application statement"), blank=True)
    status = models.CharField(
        pgettext_lazy("association", "status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    member_number = models.CharField(pgettext_lazy("association", "member number"), max_length=30, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(pgettext_lazy("association", "applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(pgettext_lazy("association", "decided at"), null=True, blank=True)
    decision_note = models.TextField(pgettext_lazy("association", "note"), blank=True)
    joined_on = models.DateField(pgettext_lazy("association", "joined on"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("association", "membership")
        verbose_name_plural = pgettext_lazy("association", "memberships")
        ordering = ["association", "kind", "member_number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "member_number"], condition=~Q(member_number=""), name="unique_member_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Supervisor credential filing ---------------------------------------------------------


class QualificationLevel(models.TextChoices):
    ASSISTANT = "assistant", pgettext_lazy("association", "Assistant social worker")
    INTERMEDIATE = "intermediate", pgettext_lazy("association", "Intermediate social worker")
    SENIOR = "senior", pgettext_lazy("association", "Senior social worker")
    OTHER = "other", pgettext_lazy("association", "Other qualification")


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("association", "Awaiting review")
    RETURNED = "returned", pgettext_lazy("association", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("association", "Filed")
    REJECTED = "rejected", pgettext_lazy("association", "Rejected")
    REVOKED = "revoked", pgettext_lazy("association", "Revoked")


class SupervisorFiling(models.Model):
    """An application to be filed as a supervisor (督导) and, once approved, the registry entry."""

    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="supervisor_filings",
        verbose_name=pgettext_lazy("association", "association"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisor_filings",
        verbose_name=pgettext_lazy("association", "supervisor"),
    )
    agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisor_filings_of_staff",
        verbose_name=pgettext_lazy("association", "employing agency"),
    )
    qualification_level = models.CharField(
        pgettext_lazy("association", "qualification level"), max_length=20, choices=QualificationLevel.choices
    )
    certificate_number = models.CharField(pgettext_lazy("association", "certificate number"), max_length=50)
    education = models.CharField(pgettext_lazy("association", "education"), max_length=100)
    years_in_social_work = models.PositiveSmallIntegerField(pgettext_lazy("association", "years in social work"))
    years_supervising = models.PositiveSmallIntegerField(
        pgettext_lazy("association", "years as a supervisor"), default=0
    )
    qualifications_note = models.TextField(pgettext_lazy("association", "experience and training"), blank=True)
    status = models.CharField(
        pgettext_lazy("association", "status"),
        max_length=10,
        choices=FilingStatus.choices,
        default=FilingStatus.SUBMITTED,
    )
    renewal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=pgettext_lazy("association", "renews"),
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(pgettext_lazy("association", "submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(pgettext_lazy("association", "reviewed at"), null=True, blank=True)
    review_note = models.TextField(pgettext_lazy("association", "review note"), blank=True)
    filing_number = models.CharField(pgettext_lazy("association", "filing number"), max_length=40, blank=True)
    valid_from = models.DateField(pgettext_lazy("association", "valid from"), null=True, blank=True)
    valid_until = models.DateField(pgettext_lazy("association", "valid until"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("association", "supervisor credential filing")
        verbose_name_plural = pgettext_lazy("association", "supervisor credential filings")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.supervisor} · {self.get_status_display()}"


class FilingDocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", pgettext_lazy("association", "Qualification certificate")
    DIPLOMA = "diploma", pgettext_lazy("association", "Diploma")
    EXPERIENCE = "experience", pgettext_lazy("association", "Proof of experience")
    OTHER = "other", pgettext_lazy("association", "Other document")


class FilingDocument(UploadedFile):
    filing = models.ForeignKey(SupervisorFiling, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(pgettext_lazy("association", "kind"), max_length=20, choices=FilingDocumentKind.choices)
    file = models.FileField(pgettext_lazy("association", "file"), upload_to="association/filings/%Y/%m/")

    class Meta:
        verbose_name = pgettext_lazy("association", "filing document")
        verbose_name_plural = pgettext_lazy("association", "filing documents")
        ordering = ["filing", "pk"]
