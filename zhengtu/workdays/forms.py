from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label=_("This day is"),
        choices=[("1", _("a working day")), ("0", _("a rest day"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note (holiday name, make-up working day)"), max_length=50, required=False)
