"""/api/v1/service-records/: list and create ledger records (same rules as the page)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhengtu.accounts.roles import Capability, can
from zhengtu.api.fields import named_choice_field
from zhengtu.audit.services import Actor
from zhengtu.core.query import int_param
from zhengtu.projects.selectors import projects_open_for_recording
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import RecordSource, ServiceKind, ServiceMode, ServiceRecord, VisitType
from .selectors import get_record_for_user, ledger
from .services import record_service


class AttendeeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)


class ServiceRecordSerializer(serializers.ModelSerializer[ServiceRecord]):
    project = serializers.IntegerField(source="project_id", required=False, allow_null=True)
    kind = named_choice_field("ServiceKind", ServiceKind.choices)
    mode = named_choice_field("ServiceMode", ServiceMode.choices, default=ServiceMode.GROUP)
    # The supervision app's visits have the same kinds: one enum in the schema for both.
    visit_type = named_choice_field(
        "VisitKind", VisitType.choices, default="", allow_blank=True, help_text="Visits only; empty for other kinds."
    )
    attendee_ids = serializers.ListField(
        child=serializers.IntegerField(), write_only=True, allow_empty=False, help_text="Supervisee ids."
    )
    attendees = serializers.SerializerMethodField()
    attendee_count = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "project",
            "kind",
            "mode",
            "visit_type",
            "held_on",
            "duration_hours",
            "topic",
            "lecturer",
            "place",
            "materials",
            "summary",
            "attendee_ids",
            "attendees",
            "attendee_count",
            "source",
            "created_at",
        ]
        read_only_fields = ["id", "source", "created_at"]

    @extend_schema_field(AttendeeSerializer(many=True))
    def get_attendees(self, record: ServiceRecord) -> list[dict[str, Any]]:
        visible: set[int] = self.context.get("visible_supervisees", set())
        return [
            {"id": a.supervisee_id, "name": a.supervisee.name, "hours": a.hours}
            for a in record.attendances.all()
            if a.supervisee_id in visible
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_attendee_count(self, record: ServiceRecord) -> int:
        return len(record.attendances.all())


def _visible_supervisees(user: Any, records: list[ServiceRecord]) -> set[int]:
    ids = {a.supervisee_id for r in records for a in r.attendances.all()}
    return set(supervisees_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@extend_schema(
    parameters=[
        OpenApiParameter("project", int, description="Only this project's records."),
        OpenApiParameter("kind", str, enum=ServiceKind.values),
        OpenApiParameter("from", OpenApiTypes.DATE),
        OpenApiParameter("to", OpenApiTypes.DATE),
    ]
)
class ServiceRecordList(generics.ListCreateAPIView[ServiceRecord]):
    serializer_class = ServiceRecordSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters: dict[str, Any] = {}
        if (project := int_param(params, "project")) is not None:
            filters["project_id"] = project
        if params.get("kind") in ServiceKind.values:
            filters["kind"] = params["kind"]
        for name, key in (("from", "first_day"), ("to", "last_day")):
            if params.get(name):
                field = serializers.DateField()
                try:
                    filters[key] = field.to_internal_value(params[name])
                except ValidationError as error:
                    raise ValidationError({name: error.detail}) from error
        return ledger(self.request.user, **filters)  # type: ignore[arg-type]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not can(request.user, Capability.RECORD_SERVICES):  # type: ignore[arg-type]
            raise PermissionDenied(_("You may not read the service ledger."))
        page = self.paginate_queryset(self.get_queryset()) or []
        context = {**self.get_serializer_context(), "visible_supervisees": _visible_supervisees(request.user, page)}
        return self.get_paginated_response(ServiceRecordSerializer(page, many=True, context=context).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        if not can(user, Capability.RECORD_SERVICES):  # type: ignore[arg-type]
            raise PermissionDenied(_("You may not record services."))
        serializer = ServiceRecordSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = None
        project_id = data.pop("project_id", None)
        if project_id is not None:
            project = projects_open_for_recording(user).filter(pk=project_id).first()  # type: ignore[arg-type]
            if project is None:
                raise ValidationError({"project": [_("You cannot add records to this project.")]})
        ids = list(dict.fromkeys(data.pop("attendee_ids")))
        people = {p.pk: p for p in supervisees_visible_to(user).filter(pk__in=ids)}  # type: ignore[arg-type]
        unknown = [i for i in ids if i not in people]
        if unknown:
            raise ValidationError(
                {
                    "attendee_ids": [
                        _("Supervisee #%(id)s is not among the supervisees you work with.") % {"id": i} for i in unknown
                    ]
                }
            )
        try:
            record = record_service(
                actor=Actor.from_request(request),
                project=project,
                attendees=[people[i] for i in ids],
                source=RecordSource.API,
                **data,
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied from error
        record = get_record_for_user(user, record.pk)  # type: ignore[arg-type]
        context = {**self.get_serializer_context(), "visible_supervisees": set(ids)}
        return Response(ServiceRecordSerializer(record, context=context).data, status=201)


class ServiceRecordDetail(generics.RetrieveAPIView[ServiceRecord]):
    serializer_class = ServiceRecordSerializer

    def get_object(self) -> ServiceRecord:
        return get_record_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        context = {**self.get_serializer_context(), "visible_supervisees": _visible_supervisees(request.user, [record])}
        return Response(ServiceRecordSerializer(record, context=context).data)
