"""/api/v1/juvenile-cases/: the cases a user may count (scoped, sealed cases never included)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied

from zhengtu.accounts.roles import Capability, can
from zhengtu.api.fields import named_choice_field
from zhengtu.core.lookups import get_or_404

from .models import JuvenileCase, ServiceType, Stage
from .selectors import cases_visible_to


class JuvenileCaseSerializer(serializers.ModelSerializer[JuvenileCase]):
    service_type = named_choice_field("JuvenileServiceType", ServiceType.choices)
    stage = named_choice_field("JuvenileStage", Stage.choices)
    agency = serializers.CharField(source="agency.name", default="", read_only=True)
    county = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = JuvenileCase
        fields = ["id", "number", "service_type", "stage", "child_name", "referred_on", "county", "agency", "closed_on"]
        read_only_fields = fields


def _cases(user: Any) -> Any:
    if not can(user, Capability.VIEW_JUVENILE_CASES):
        raise PermissionDenied(_("You may not read juvenile cases."))
    return cases_visible_to(user, for_counting=True).select_related("county", "agency").order_by("-referred_on", "-id")


class JuvenileCaseList(generics.ListAPIView[JuvenileCase]):
    serializer_class = JuvenileCaseSerializer

    def get_queryset(self) -> Any:
        return _cases(self.request.user)


class JuvenileCaseDetail(generics.RetrieveAPIView[JuvenileCase]):
    serializer_class = JuvenileCaseSerializer

    def get_object(self) -> JuvenileCase:
        return get_or_404(_cases(self.request.user), self.kwargs["pk"])  # type: ignore[no-any-return]
