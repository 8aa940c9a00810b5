"""Staff pages of community-service activities: publish, see who signed up and attended, confirm the hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation
from zhengtu.orgs.selectors import organisations_visible_to
from zhengtu.supervisees.permissions import capability_required

from ..models import Activity, ActivitySignup
from ..services.activities import confirm_hours, publish_activity


class ActivityForm(forms.Form):
    office: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=gettext_lazy("Office"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    place = forms.CharField(label=gettext_lazy("place"), max_length=200)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    hours = forms.DecimalField(label=gettext_lazy("hours credited"), max_digits=4, decimal_places=1)
    capacity = forms.IntegerField(label=gettext_lazy("places"), min_value=1, max_value=500, initial=20)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = organisations_visible_to(user)  # type: ignore[attr-defined]


def _activities_for(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(office__in=organisations_visible_to(user)).select_related("office")


@capability_required(Capability.RECORD_SERVICES)
def activity_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = publish_activity(actor=Actor.from_request(request), **data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Published."))
            return redirect("appstaff:activity", pk=activity.pk)
    activities = _activities_for(request.user).order_by("-starts_at")[:50]
    return render(request, "selfservice/staff/activities.html", {"form": form, "activities": activities})


@capability_required(Capability.RECORD_SERVICES)
def activity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = get_or_404(_activities_for(request.user), pk)
    signups = ActivitySignup.objects.filter(activity=activity).select_related(
        "supervisee", "check_in_face", "check_out_face"
    )
    if request.method == "POST":
        chosen = [s for s in signups if str(s.pk) in request.POST.getlist("signup")]
        try:
            count = confirm_hours(actor=Actor.from_request(request), activity=activity, signups=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Hours confirmed for %(n)d people; they are in the service ledger.") % {"n": count}
            )
        return redirect("appstaff:activity", pk=activity.pk)
    return render(request, "selfservice/staff/activity.html", {"activity": activity, "signups": signups})
