"""/api/v1/reintegration/needs/: list, create and read needs, through the same selectors and services as the pages.

A service's ValidationError is answered as a 400 by zhengtu.api.errors.exception_handler.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from zhengtu.accounts.roles import Capability, can
from zhengtu.api.fields import named_choice_field
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event

from . import services
from .models import AgencyKind, HelpAction, Need, NeedKind, NeedSource, NeedStatus, Outcome, Referral
from .selectors import get_need_for_user, get_person_for_user, needs_visible_to


class ReintegrationReferralSerializer(serializers.ModelSerializer[Referral]):
    agency_kind = named_choice_field("ReintegrationAgencyKind", AgencyKind.choices)

    class Meta:
        model = Referral
        fields = ["id", "agency_kind", "agency_name", "contact_name", "contact_phone_masked", "referred_on", "notes"]
        read_only_fields = fields


class ReintegrationHelpActionSerializer(serializers.ModelSerializer[HelpAction]):
    class Meta:
        model = HelpAction
        fields = ["id", "done_on", "description"]
        read_only_fields = fields


class ReintegrationNeedSerializer(serializers.ModelSerializer[Need]):
    kind = named_choice_field("ReintegrationNeedKind", NeedKind.choices)
    found_by = named_choice_field("ReintegrationNeedSource", NeedSource.choices, source="source")
    status = named_choice_field("ReintegrationNeedStatus", NeedStatus.choices)
    outcome = named_choice_field("ReintegrationOutcome", Outcome.choices, allow_blank=True)
    supervisee_name = serializers.CharField(source="supervisee.name", read_only=True)
    office = serializers.CharField(source="supervisee.responsible_office.name", read_only=True)
    referrals = ReintegrationReferralSerializer(many=True, read_only=True)
    actions = ReintegrationHelpActionSerializer(many=True, read_only=True)

    class Meta:
        model = Need
        fields = ["id", "supervisee", "supervisee_name", "office", "kind", "found_by", "description", "found_on",
                  "status", "outcome", "outcome_on", "outcome_notes", "referrals", "actions"]  # fmt: skip
        read_only_fields = fields


class ReintegrationNeedInputSerializer(serializers.Serializer[Any]):
    supervisee = serializers.IntegerField()
    kind = named_choice_field("ReintegrationNeedKind", NeedKind.choices)
    description = serializers.CharField(max_length=1000)
    found_on = serializers.DateField()


def _readable(request: Request) -> Any:
    user = request.user
    if not can(user, Capability.VIEW_REINTEGRATION):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not read help with returning to society."))
    return user


class NeedList(generics.ListAPIView[Need]):
    serializer_class = ReintegrationNeedSerializer

    def get_queryset(self) -> Any:
        user = _readable(self.request)
        needs = needs_visible_to(user).select_related("supervisee__responsible_office")
        if supervisee := self.request.query_params.get("supervisee", ""):
            needs = needs.filter(supervisee_id=int(supervisee) if supervisee.isdigit() else 0)
        return needs.prefetch_related("referrals", "actions").order_by("-found_on", "-id")

    @extend_schema(request=ReintegrationNeedInputSerializer, responses={201: ReintegrationNeedSerializer})
    def post(self, request: Request) -> Response:
        user = _readable(request)
        if not can(user, Capability.RECORD_REINTEGRATION):
            raise PermissionDenied(_("You may not record help with returning to society."))
        data = ReintegrationNeedInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        supervisee = get_person_for_user(user, values.pop("supervisee"))
        need = services.record_need(actor=Actor.from_request(request), supervisee=supervisee, **values)
        return Response(ReintegrationNeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetail(generics.RetrieveAPIView[Need]):
    serializer_class = ReintegrationNeedSerializer

    def get_object(self) -> Need:
        need = get_need_for_user(_readable(self.request), self.kwargs["pk"])
        record_event(Actor.from_request(self.request), action=Action.VIEW, target=need, detail={"api": "need"})
        return need
