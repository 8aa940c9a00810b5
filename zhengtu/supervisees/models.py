"""The registry of people under community correction (社区矫正对象)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Division, Organisation
from zhengtu.privacy.crypto import decrypt, encrypt, mask_identity_number, mask_phone


class SentenceType(models.TextChoices):
    CONTROL = "control", _("Public surveillance")  # 管制
    PROBATION = "probation", _("Probation")  # 缓刑
    PAROLE = "parole", _("Parole")  # 假释
    OUTSIDE_PRISON = "outside_prison", _("Temporary execution outside prison")  # 暂予监外执行


class SupervisionLevel(models.TextChoices):
    STRICT = "strict", _("Strict")  # 严管
    STANDARD = "standard", _("Standard")  # 普管
    LENIENT = "lenient", _("Lenient")  # 宽管


class Status(models.TextChoices):
    PENDING_INTAKE = "pending_intake", _("Pending intake")
    UNDER_SUPERVISION = "under_supervision", _("Under supervision")
    RELEASED = "released", _("Released")
    TERMINATED = "terminated", _("Terminated")


# The lifecycle. Every status change goes through supervisees.services.change_status, which
# refuses anything not listed here.
ALLOWED_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING_INTAKE: frozenset({Status.UNDER_SUPERVISION, Status.TERMINATED}),
    Status.UNDER_SUPERVISION: frozenset({Status.RELEASED, Status.TERMINATED}),
    Status.RELEASED: frozenset(),
    Status.TERMINATED: frozenset(),
}


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Supervisee(models.Model):
    # Identity
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_pinyin = models.CharField(max_length=200, db_index=True, editable=False, default="")
    name_initials = models.CharField(max_length=50, db_index=True, editable=False, default="")
    former_names = models.CharField(_("former names"), max_length=100, blank=True)
    identity_number_encrypted = models.TextField(editable=False, default="")
    identity_number_index = models.CharField(max_length=64, unique=True, editable=False)
    identity_number_masked = models.CharField(_("identity number"), max_length=18, editable=False, default="")
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    education = models.CharField(_("education"), max_length=30, blank=True)
    phone_encrypted = models.TextField(editable=False, default="")
    phone_index = models.CharField(max_length=64, editable=False, default="", db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, default="")
    photo = models.ImageField(_("photo"), upload_to="supervisees/photos/", blank=True)

    # Residence
    residence_division = models.ForeignKey(
        Division,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("residence division"),
    )
    residence_address = models.CharField(_("residence address"), max_length=200, blank=True)
    household_division = models.ForeignKey(
        Division,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household registration division"),
    )
    household_address = models.CharField(_("household registration address"), max_length=200, blank=True)

    # Work
    employment_status = models.CharField(_("employment status"), max_length=30, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)

    # Sentence
    sentence_type = models.CharField(_("sentence type"), max_length=20, choices=SentenceType.choices)
    crime = models.CharField(_("crime"), max_length=100)
    original_sentence = models.CharField(_("original sentence"), max_length=100, blank=True)
    prohibition_order = models.TextField(_("prohibition order"), blank=True)
    deciding_organ = models.CharField(_("deciding organ"), max_length=100)
    judgment_number = models.CharField(_("judgment document number"), max_length=100, blank=True)
    judgment_effective_date = models.DateField(_("judgment effective date"), null=True, blank=True)
    term_start = models.DateField(_("term start"))
    term_months = models.PositiveSmallIntegerField(_("term length (months)"))
    term_extra_days = models.PositiveSmallIntegerField(_("term length (extra days)"), default=0)
    term_end = models.DateField(_("term end"), editable=False)
    is_recidivist = models.BooleanField(_("recidivist"), default=False)

    # Supervision
    supervision_level = models.CharField(
        _("supervision level"), max_length=20, choices=SupervisionLevel.choices, default=SupervisionLevel.STANDARD
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_INTAKE, db_index=True
    )
    responsible_office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="supervisees", verbose_name=_("responsible office")
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisee",
        verbose_name=_("login account"),
    )
    notes = models.TextField(_("notes"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supervisee")
        verbose_name_plural = _("supervisees")
        ordering = ["-term_start", "id"]
        indexes = [
            models.Index(fields=["responsible_office", "status", "term_end"]),
            models.Index(fields=["status", "term_end"]),
            models.Index(fields=["supervision_level", "status"]),
            models.Index(fields=["sentence_type", "status"]),
            # The registry list is ordered by intake (newest first): pages come straight from this index.
            models.Index(fields=["-term_start", "id"], name="supervisee_list_order_idx"),
            models.Index(fields=["term_end", "id"], name="supervisee_term_end_idx"),
            # A filtered list (level, status or type) pages through these in order without sorting.
            models.Index(fields=["supervision_level", "-term_start", "id"], name="supervisee_level_order_idx"),
            models.Index(fields=["status", "-term_start", "id"], name="supervisee_status_order_idx"),
            models.Index(fields=["sentence_type", "-term_start", "id"], name="supervisee_type_order_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identity_number(self) -> str:
        """The clear identity number. Callers must audit the reveal (services.reveal_identity)."""
        return decrypt(self.identity_number_encrypted)

    @property
    def phone(self) -> str:
        return decrypt(self.phone_encrypted)

    @staticmethod
    def mask_identity(value: str) -> str:
        return mask_identity_number(value)

    @staticmethod
    def mask_phone(value: str) -> str:
        return mask_phone(value)


class NameReading(models.Model):
    """Another pinyin reading of a supervisee's name (单 read dān as well as shàn): either finds them.

    The main reading is on the supervisee (name_pinyin, name_initials); only names with a
    polyphonic character get a row here. Written by services, read by the search.
    """

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="name_readings")
    pinyin = models.CharField(max_length=200, db_index=True)
    initials = models.CharField(max_length=50, db_index=True)

    class Meta:
        verbose_name = _("name reading")
        verbose_name_plural = _("name readings")

    def __str__(self) -> str:
        return self.pinyin


class FamilyMember(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="family_members")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20)
    # Encrypted and masked like the supervisee's own phone: a relative's number is personal data too.
    phone_encrypted = models.TextField(editable=False, default="")
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, default="")
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    address = models.CharField(pgettext_lazy("person", "address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"

    @property
    def phone(self) -> str:
        return decrypt(self.phone_encrypted)

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_encrypted = encrypt(value)
        self.phone_masked = mask_phone(value)


class AssignmentRole(models.TextChoices):
    OFFICER = "officer", _("Officer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class Assignment(models.Model):
    """A staff member explicitly assigned to a supervisee; widens that user's scope to this person."""

    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee", "user"], condition=models.Q(ended_at__isnull=True), name="one_open_assignment"
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]


class StatusChange(models.Model):
    supervisee = models.ForeignKey(Supervisee, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at"]
