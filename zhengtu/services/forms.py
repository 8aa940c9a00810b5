"""Forms of the service ledger pages. Shapes only; the rules live in services.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.projects.forms import DateInput, MultipleFileField
from zhengtu.projects.models import ServiceProject
from zhengtu.projects.selectors import projects_open_for_recording, projects_visible_to
from zhengtu.supervisees.models import Status, Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import ServiceKind, ServiceMode, ServiceRecord, VisitType

if TYPE_CHECKING:
    from zhengtu.accounts.models import User


class AttendeeChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Supervisee) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.responsible_office.name}，{obj.get_supervision_level_display()}）"


class ServiceRecordForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=ServiceProject.objects.none(),
        required=False,
        empty_label=_("— none (not part of a project) —"),
    )
    kind = forms.ChoiceField(label=pgettext_lazy("service record", "Kind"), choices=ServiceKind.choices)
    mode = forms.ChoiceField(label=_("Form"), choices=ServiceMode.choices, initial=ServiceMode.GROUP)
    visit_type = forms.ChoiceField(
        label=_("Visit type"), choices=[("", "—"), *VisitType.choices], required=False, help_text=_("For visits only.")
    )
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    duration_hours = forms.DecimalField(
        label=_("Duration (hours)"),
        max_digits=4,
        decimal_places=1,
        help_text=_("Credited to every attendee's monthly hours."),
    )
    topic = forms.CharField(label=_("Topic or content"), max_length=200)
    pool_lecturer = forms.ModelChoiceField(
        label=_("Lecturer from the pool"),
        queryset=ServiceRecord.objects.none(),
        required=False,
        empty_label=_("— not from the pool —"),
        help_text=_("For a lecturer of the pool (讲师团). Anyone else: type the name below."),
    )
    lecturer = forms.CharField(label=_("Lecturer or leader"), max_length=100, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    materials = forms.CharField(label=_("Materials"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    counselling_note = forms.CharField(
        label=_("Confidential counselling notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Counselling only. Read by you and the project's supervisor, nobody else."),
    )
    attendees = AttendeeChoiceField(
        label=_("Supervisees who took part"), queryset=Supervisee.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(label=_("Photos and materials"))

    def __init__(self, *args: Any, user: User, record: ServiceRecord | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project_field = self.fields["project"]
        attendee_field = self.fields["attendees"]
        assert isinstance(project_field, forms.ModelChoiceField)
        assert isinstance(attendee_field, forms.ModelMultipleChoiceField)
        project_field.queryset = projects_open_for_recording(user)
        lecturer_field = self.fields["pool_lecturer"]
        assert isinstance(lecturer_field, forms.ModelChoiceField)
        from zhengtu.learning.selectors import lecturers_visible_to  # the pool lives in learning

        lecturer_field.queryset = lecturers_visible_to(user).filter(is_active=True)
        people = Q(status=Status.UNDER_SUPERVISION)
        if record is not None:
            people |= Q(service_attendances__record=record)
        attendee_field.queryset = (
            supervisees_visible_to(user)
            .filter(people)
            .select_related("responsible_office")
            .distinct()
            .order_by("name_pinyin", "pk")
        )
        if record is not None:
            # Project, kind and notes are fixed once recorded (notes are edited on their own page).
            for name in ("project", "kind", "counselling_note"):
                del self.fields[name]


class LedgerFilterForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=ServiceProject.objects.none(), required=False, empty_label=_("All projects")
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("service record", "Kind"), choices=[("", _("All")), *ServiceKind.choices], required=False
    )
    first_day = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=DateInput())
    last_day = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = projects_visible_to(user)


class ImportForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=ServiceProject.objects.none(),
        required=False,
        empty_label=_("— none (not part of a project) —"),
    )
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and skip the rows with errors"),
        required=False,
        help_text=_("Otherwise nothing is imported until every row is right."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = projects_open_for_recording(user)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Confidential counselling notes"), widget=forms.Textarea(attrs={"rows": 8}))


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Why is the record deleted?"), max_length=200)
