"""Forms of the staff pages. Rules are the services' business; forms only read what was typed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.models import User
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import SentenceType, SupervisionLevel

from .models import Course, LessonKind, QuestionKind, Stage

_SPLIT = re.compile(r"[,，、;；\s]+")


def words(text: str) -> list[str]:
    return [word for word in _SPLIT.split(text or "") if word]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    topic = forms.CharField(label=pgettext_lazy("course", "topic"), max_length=100)
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    description = forms.CharField(
        label=pgettext_lazy("course", "description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    organisation = forms.ModelChoiceField(label=_("owned by"), queryset=Organisation.objects.none())
    sentence_types = forms.MultipleChoiceField(
        label=_("sentence types"), choices=SentenceType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    supervision_levels = forms.MultipleChoiceField(
        label=_("supervision levels"),
        choices=SupervisionLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    crimes = forms.CharField(
        label=_("crimes"), required=False, help_text=_("Words of the crime, separated by commas; empty for any.")
    )
    needs = forms.CharField(
        label=_("needs found by assessment"),
        required=False,
        help_text=_("Need domains of the assessment, separated by commas; empty for any."),
    )
    topic_month = forms.DateField(
        label=_("topic of the month"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Assigned to everyone during that month."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [OrganisationKind.CITY_BUREAU, OrganisationKind.COUNTY_BUREAU, OrganisationKind.JUSTICE_OFFICE]
        orgs = Organisation.objects.filter(kind__in=kinds)
        if not user.is_superuser:
            orgs = orgs.filter(path__startswith=user.organisation.path) if user.organisation else orgs.none()
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = orgs
        if user.organisation and not self.is_bound:
            self.initial.setdefault("organisation", user.organisation.pk)

    @classmethod
    def initial_of(cls, course: Course) -> dict[str, Any]:
        return {
            "title": course.title,
            "topic": course.topic,
            "stage": course.stage,
            "description": course.description,
            "organisation": course.organisation_id,
            "sentence_types": course.sentence_types,
            "supervision_levels": course.supervision_levels,
            "crimes": "，".join(course.crimes),
            "needs": "，".join(course.needs),
            "topic_month": course.topic_month,
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["crimes"] = words(data.get("crimes", ""))
        data["needs"] = words(data.get("needs", ""))
        return data


class LessonForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=LessonKind.choices)
    minutes = forms.DecimalField(
        label=_("length (minutes)"),
        min_value=Decimal("0.1"),
        max_value=Decimal("600"),
        decimal_places=1,
        help_text=_("The real length of the recording, or the time the reading needs."),
    )
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("MP4 or WebM video, MP3, M4A or Ogg audio, PDF."),
    )


class LessonEditForm(forms.Form):
    """Editing a lesson: its kind stays; a video, audio or PDF lesson may get a new file of its kind."""

    title = forms.CharField(label=_("title"), max_length=200)
    minutes = forms.DecimalField(
        label=_("length (minutes)"),
        min_value=Decimal("0.1"),
        max_value=Decimal("600"),
        decimal_places=1,
        help_text=_("The real length of the recording, or the time the reading needs."),
    )
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    file = forms.FileField(
        label=_("new file"),
        required=False,
        help_text=_("Leave empty to keep the current file. A new one must be of the lesson's kind."),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 2}))
    choices = forms.CharField(
        label=_("choices"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One choice per line (not needed for true or false)."),
    )
    answer = forms.CharField(
        label=_("right answer"),
        help_text=_("Numbers of the right choices, e.g. 2 or 1,3; true or false: 1 = true, 2 = false."),
    )
    explanation = forms.CharField(label=_("explanation"), required=False)

    def clean_answer(self) -> list[int]:
        try:
            return [int(word) - 1 for word in words(self.cleaned_data["answer"])]
        except ValueError as error:
            raise forms.ValidationError(_("Write the numbers of the right choices.")) from error

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]


class ExamForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    question_count = forms.IntegerField(label=_("questions per attempt"), min_value=1, max_value=100)
    pass_mark = forms.IntegerField(label=_("pass mark (%)"), min_value=1, max_value=100)
    max_attempts = forms.IntegerField(label=_("attempts allowed"), min_value=1, required=False)


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], required=False)
