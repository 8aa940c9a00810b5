"""Forms of the reintegration pages: input only; the rules are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation

from .models import AgencyKind, NeedKind, NeedStatus, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of need"), choices=_blank(NeedKind.choices, "—"))
    description = forms.CharField(
        label=pgettext_lazy("reintegration", "description"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    found_on = forms.DateField(label=_("found on"), widget=DATE, initial=timezone.localdate)


class ReferralForm(forms.Form):
    agency_kind = forms.ChoiceField(label=_("kind of agency"), choices=_blank(AgencyKind.choices, "—"))
    agency_name = forms.CharField(label=pgettext_lazy("reintegration", "agency"), max_length=100)
    contact_name = forms.CharField(label=_("contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    referred_on = forms.DateField(label=_("referred on"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(label=_("notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    done_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    description = forms.CharField(label=pgettext_lazy("reintegration", "what was done"), max_length=500)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=_blank(Outcome.choices, "—"))
    outcome_on = forms.DateField(label=_("outcome date"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("notes on the outcome"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawing"), max_length=200)


class FilterForm(forms.Form):
    office = forms.ModelChoiceField(label=_("office"), queryset=Organisation.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("kind of need"), choices=_blank(NeedKind.choices, _("all")), required=False)
    status = forms.ChoiceField(label=_("status"), choices=_blank(NeedStatus.choices, _("all")), required=False)
    outcome = forms.ChoiceField(label=_("outcome"), choices=_blank(Outcome.choices, _("all")), required=False)
    waiting = forms.BooleanField(label=_("waiting too long for a referral"), required=False)
    q = forms.CharField(label=_("name or text"), max_length=50, required=False)

    def __init__(self, *args: Any, offices: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["office"].empty_label = _("all")  # type: ignore[attr-defined]
