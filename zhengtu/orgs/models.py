"""The organisation tree every record belongs to.

(province bureau →) city bureau → county bureau → justice office; agencies, the association, procuratorates and
command centres hang under the bureau they serve. `path` is a materialised path ("/1/5/23/")
so that "this organisation and everything below it" is one indexed prefix query.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    PROVINCE_BUREAU = "province_bureau", _("Province corrections bureau")
    CITY_BUREAU = "city_bureau", _("City corrections bureau")
    COUNTY_BUREAU = "county_bureau", _("County corrections bureau")
    JUSTICE_OFFICE = "justice_office", _("Justice office")
    AGENCY = "agency", _("Social-work agency")
    ASSOCIATION = "association", _("Industry association")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COMMAND_CENTER = "command_center", _("Command center")


# Which kinds may hang under which: one place for the shape of the tree.
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    OrganisationKind.PROVINCE_BUREAU: {None},
    OrganisationKind.CITY_BUREAU: {None, OrganisationKind.PROVINCE_BUREAU},
    OrganisationKind.COUNTY_BUREAU: {None, OrganisationKind.CITY_BUREAU},
    OrganisationKind.JUSTICE_OFFICE: {OrganisationKind.COUNTY_BUREAU},
    OrganisationKind.AGENCY: {OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU},
    OrganisationKind.ASSOCIATION: {None, OrganisationKind.CITY_BUREAU, OrganisationKind.PROVINCE_BUREAU},
    OrganisationKind.PROCURATORATE: {OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU},
    OrganisationKind.COMMAND_CENTER: {
        OrganisationKind.COUNTY_BUREAU,
        OrganisationKind.CITY_BUREAU,
        OrganisationKind.PROVINCE_BUREAU,
    },
}

division_code_validator = RegexValidator(r"^\d{6}(\d{6})?$", _("An administrative division code has 6 or 12 digits."))


class Division(models.Model):
    """An administrative division (GB/T 2260 code: 6 digits, or 12 with township and village)."""

    code = models.CharField(_("code"), max_length=12, primary_key=True, validators=[division_code_validator])
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name or self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("administrative division")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unique_organisation_name_per_parent")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent else None
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if parent_kind not in allowed:
            raise ValidationError({"parent": _("This kind of organisation cannot be placed there in the tree.")})
        if self.pk and self.parent and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("An organisation cannot be placed under itself.")})

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Organisation]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        by_id = Organisation.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def nearest(self, kinds: set[str]) -> Organisation | None:
        """This organisation or its closest ancestor of one of `kinds` (e.g. the county bureau)."""
        for org in reversed(self.ancestors()):
            if org.kind in kinds:
                return org
        return None

    def is_within(self, other: Organisation) -> bool:
        return self.path.startswith(other.path)
