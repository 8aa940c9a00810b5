"""REST API of the registry: /api/v1/supervisees/.

The same selectors (scope: 404 outside it), the same services (rules, audit) as the pages.
Identity and phone numbers are masked in every response; the clear value only comes from
POST /api/v1/supervisees/{id}/reveal/, which is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.orgs.models import Division, Organisation

from . import services
from .models import FamilyMember, SentenceType, Sex, Status, Supervisee, SupervisionLevel
from .pagination import SuperviseePagination
from .selectors import SuperviseeFilters, filter_offices_for, list_supervisees, supervisees_visible_to


class FamilyMemberSerializer(serializers.ModelSerializer[FamilyMember]):
    """A relative's phone is written in clear and read masked, like the supervisee's own."""

    id = serializers.IntegerField(required=False)
    phone = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=30, help_text=_("Blank keeps the stored number.")
    )

    class Meta:
        model = FamilyMember
        fields = ["id", "name", "relation", "phone", "phone_masked", "work_unit", "address"]
        read_only_fields = ["phone_masked"]


class SuperviseeSerializer(serializers.ModelSerializer[Supervisee]):
    identity_number = serializers.CharField(
        write_only=True, max_length=20, help_text=_("18 characters; birth date and sex are read from it.")
    )
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=30)
    birth_date = serializers.DateField(required=False, help_text=_("Optional on input: checked against the number."))
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    residence_division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False, allow_null=True
    )
    household_division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False, allow_null=True
    )
    responsible_office = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    responsible_office_name = serializers.CharField(source="responsible_office.name", read_only=True)
    responsible_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    family_members = FamilyMemberSerializer(many=True, required=False)

    class Meta:
        model = Supervisee
        fields = [
            "id",
            "name",
            "former_names",
            "identity_number",
            "identity_number_masked",
            "sex",
            "birth_date",
            "ethnicity",
            "education",
            "phone",
            "phone_masked",
            "residence_division",
            "residence_address",
            "household_division",
            "household_address",
            "employment_status",
            "work_unit",
            "occupation",
            "sentence_type",
            "crime",
            "original_sentence",
            "prohibition_order",
            "deciding_organ",
            "judgment_number",
            "judgment_effective_date",
            "term_start",
            "term_months",
            "term_extra_days",
            "term_end",
            "is_recidivist",
            "supervision_level",
            "status",
            "responsible_office",
            "responsible_office_name",
            "responsible_officer",
            "notes",
            "family_members",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["identity_number_masked", "phone_masked", "term_end", "status", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # On update a blank or missing identity number keeps the stored one.
            self.fields["identity_number"].required = False
            self.fields["identity_number"].allow_blank = True  # type: ignore[attr-defined]

    def _actor(self) -> Actor:
        return Actor.from_request(self.context["request"]._request)

    def create(self, validated_data: dict[str, Any]) -> Supervisee:
        return services.create_supervisee(actor=self._actor(), **validated_data)

    def update(self, instance: Supervisee, validated_data: dict[str, Any]) -> Supervisee:
        return services.update_supervisee(actor=self._actor(), supervisee=instance, **validated_data)


class SuperviseeFilterSerializer(serializers.Serializer[SuperviseeFilters]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=60)
    office = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), required=False)
    supervision_level = serializers.ChoiceField(choices=SupervisionLevel.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    sentence_type = serializers.ChoiceField(choices=SentenceType.choices, required=False)
    term_ending_within = serializers.IntegerField(required=False, min_value=0, max_value=3650)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = filter_offices_for(user)  # type: ignore[attr-defined]

    def filters(self) -> SuperviseeFilters:
        data = self.validated_data
        return SuperviseeFilters(
            q=data.get("q", ""),
            office=data.get("office"),
            supervision_level=data.get("supervision_level", ""),
            status=data.get("status", ""),
            sentence_type=data.get("sentence_type", ""),
            term_ending_within_days=data.get("term_ending_within"),
        )


class RevealRequestSerializer(serializers.Serializer[dict[str, str]]):
    field = serializers.ChoiceField(choices=list(services.REVEALABLE_FIELDS), default="identity_number")


class RevealResponseSerializer(serializers.Serializer[dict[str, str]]):
    field = serializers.CharField()
    value = serializers.CharField()


ACTION_CAPABILITIES = {
    "create": Capability.EDIT_SUPERVISEES,
    "update": Capability.EDIT_SUPERVISEES,
    "partial_update": Capability.EDIT_SUPERVISEES,
}


class RegistryPermission(permissions.BasePermission):
    """Reading needs VIEW_SUPERVISEES, writing EDIT_SUPERVISEES; scope is the queryset's job."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        capability = ACTION_CAPABILITIES.get(getattr(view, "action", "") or "", Capability.VIEW_SUPERVISEES)
        return can(request.user, capability)  # type: ignore[arg-type]


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Name, pinyin initials or prefix, identity number or phone"),
    OpenApiParameter("office", int, description="Organisation id: that office and everything below it"),
    OpenApiParameter("supervision_level", str, enum=SupervisionLevel.values),
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter("sentence_type", str, enum=SentenceType.values),
    OpenApiParameter("term_ending_within", int, description="Term ends within this many days from today"),
]


@extend_schema_view(
    list=extend_schema(parameters=FILTER_PARAMETERS, summary="List supervisees in the caller's scope"),
    retrieve=extend_schema(summary="One supervisee (audited as a view)"),
    create=extend_schema(summary="Register a supervisee"),
    update=extend_schema(summary="Change a registration"),
    partial_update=extend_schema(summary="Change some fields of a registration"),
)
class SuperviseeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Supervisee],
):
    serializer_class = SuperviseeSerializer
    pagination_class = SuperviseePagination
    permission_classes = [permissions.IsAuthenticated, RegistryPermission]

    @property
    def acting_user(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def get_queryset(self) -> QuerySet[Supervisee]:
        if getattr(self, "swagger_fake_view", False):
            return Supervisee.objects.none()
        if self.action == "list":
            filter_input = SuperviseeFilterSerializer(data=self.request.query_params, user=self.acting_user)
            filter_input.is_valid(raise_exception=True)
            queryset = list_supervisees(self.acting_user, filter_input.filters())
        else:
            queryset = supervisees_visible_to(self.acting_user).select_related("responsible_office")
        return queryset.select_related("residence_division", "household_division").prefetch_related("family_members")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        supervisee = self.get_object()
        record_event(request._request, action=Action.VIEW, target=supervisee)
        return Response(self.get_serializer(supervisee).data)

    @extend_schema(
        request=RevealRequestSerializer,
        responses=RevealResponseSerializer,
        summary="The clear identity or phone number (audited)",
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        supervisee = self.get_object()
        payload = RevealRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        field = payload.validated_data["field"]
        value = services.reveal_identity(actor=Actor.from_request(request._request), supervisee=supervisee, field=field)
        return Response({"field": field, "value": value})
