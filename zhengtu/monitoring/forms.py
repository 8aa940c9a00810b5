"""Forms of the monitoring pages. Validation of rules stays in services; forms only parse input."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.fields import SuperviseeChoiceField

from .coords import from_display
from .models import AlertKind, AlertStatus, DeviceKind, FenceKind, FenceShape, Protocol

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DeviceForm(forms.Form):
    identifier = forms.CharField(label=pgettext_lazy("monitoring", "Terminal id / IMEI"), max_length=64)
    kind = forms.ChoiceField(label=pgettext_lazy("monitoring", "Kind"), choices=DeviceKind.choices)
    protocol = forms.ChoiceField(label=pgettext_lazy("monitoring", "Protocol"), choices=Protocol.choices)
    organisation = forms.ModelChoiceField(label=_("Held by"), queryset=Organisation.objects.none())
    sim_number = forms.CharField(label=_("SIM number"), max_length=30, required=False)
    model_name = forms.CharField(label=pgettext_lazy("monitoring", "Model"), max_length=50, required=False)
    notes = forms.CharField(label=pgettext_lazy("monitoring", "Notes"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class BindingForm(forms.Form):
    supervisee = SuperviseeChoiceField(label=pgettext_lazy("monitoring", "Supervisee"))
    starts_at = forms.DateTimeField(label=pgettext_lazy("monitoring", "From"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=pgettext_lazy("monitoring", "Until"), widget=DATETIME_WIDGET)
    approval_reference = forms.CharField(label=_("Approval document"), max_length=100, required=False)

    def __init__(self, *args: Any, supervisees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisee"].queryset = supervisees  # type: ignore[attr-defined]


class UnbindForm(forms.Form):
    reason = forms.CharField(label=_("Reason for unbinding"), max_length=200)


class FenceForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("monitoring", "Name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("monitoring", "Kind"), choices=FenceKind.choices)
    shape = forms.ChoiceField(
        label=pgettext_lazy("monitoring", "Shape"), choices=FenceShape.choices, initial=FenceShape.POLYGON
    )
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("monitoring", "Organisation"), queryset=Organisation.objects.none()
    )
    supervisee = SuperviseeChoiceField(
        label=_("Only for"),
        required=False,
        help_text=_("Leave empty to apply the fence to every monitored person of the organisation."),
    )
    geometry = forms.CharField(widget=forms.HiddenInput, required=False)
    center_latitude = forms.FloatField(label=_("Centre latitude"), required=False)
    center_longitude = forms.FloatField(label=_("Centre longitude"), required=False)
    radius_m = forms.FloatField(label=_("Radius (m)"), required=False)
    drawn_in = forms.CharField(widget=forms.HiddenInput, required=False)
    geojson_file = forms.FileField(label=_("Import GeoJSON"), required=False)
    active_from = forms.TimeField(
        label=_("Active from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    active_until = forms.TimeField(
        label=_("Active until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=[
            ("1", _("Mon")),
            ("2", _("Tue")),
            ("3", _("Wed")),
            ("4", _("Thu")),
            ("5", _("Fri")),
            ("6", _("Sat")),
            ("7", _("Sun")),
        ],
        initial=list("1234567"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Any, supervisees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["supervisee"].queryset = supervisees  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        crs = data.get("drawn_in") or "wgs84"
        if data.get("geometry"):
            try:
                geometry = json.loads(data["geometry"])
            except json.JSONDecodeError:
                raise ValidationError({"geometry": _("The drawn shape could not be read; draw it again.")}) from None
            data["geometry"] = _geometry_to_wgs84(geometry, crs)
        else:
            data["geometry"] = None
        if data.get("center_latitude") is not None and data.get("center_longitude") is not None:
            data["center_latitude"], data["center_longitude"] = from_display(
                data["center_latitude"], data["center_longitude"], crs
            )
        if not data.get("geojson_file") and not data.get("name"):
            self.add_error("name", _("Give the fence a name."))
        return data

    def fence_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "supervisee": data.get("supervisee"),
            "active_from": data.get("active_from"),
            "active_until": data.get("active_until"),
            "weekdays": "".join(data.get("weekdays") or []),
        }


def _geometry_to_wgs84(geometry: Any, crs: str) -> Any:
    if crs == "wgs84" or not isinstance(geometry, dict):
        return geometry

    def convert(ring: list[list[float]]) -> list[list[float]]:
        out = []
        for lon, lat, *_rest in ring:
            lat2, lon2 = from_display(float(lat), float(lon), crs)
            out.append([lon2, lat2])
        return out

    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": [convert(r) for r in geometry.get("coordinates", [])]}
    if geometry.get("type") == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [[convert(r) for r in polygon] for polygon in geometry.get("coordinates", [])],
        }
    return geometry


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("monitoring", "Status"),
        required=False,
        choices=[
            ("", pgettext_lazy("monitoring", "Open")),
            ("all", pgettext_lazy("monitoring", "All")),
            *AlertStatus.choices,
        ],
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("monitoring", "Kind"), required=False, choices=[("", _("All kinds")), *AlertKind.choices]
    )


class HandleAlertForm(forms.Form):
    handling_notes = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3}))
    actions_taken = forms.CharField(label=_("Actions taken"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=pgettext_lazy("monitoring", "Note"), required=False, max_length=500)


class TrackForm(forms.Form):
    start = forms.DateTimeField(label=pgettext_lazy("monitoring", "From"), required=False, widget=DATETIME_WIDGET)
    end = forms.DateTimeField(label=pgettext_lazy("monitoring", "Until"), required=False, widget=DATETIME_WIDGET)
