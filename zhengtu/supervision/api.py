"""/api/v1/supervision/: the same operations as the pages, through the same services, scoped and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.documents.models import GeneratedDocument
from zhengtu.supervisees.models import Supervisee

from . import selectors
from . import serializers as s
from .services import approvals as approval_services
from .services import closure, daily, intake, leave, monitoring, sanctions
from .services.intake import TeamMemberInput


def _actor(request: Request) -> Actor:
    return Actor.from_request(request)


def _supervisee(request: Request, pk: int) -> Supervisee:
    if not can(request.user, Capability.VIEW_SUPERVISEES):  # type: ignore[arg-type]
        from rest_framework.exceptions import PermissionDenied

        raise PermissionDenied
    return selectors.get_supervisee_for_user(request.user, pk)  # type: ignore[arg-type]


def _input(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _service_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def _documents(documents: list[GeneratedDocument]) -> list[dict[str, Any]]:
    return [{"id": d.pk, "code": d.code, "title": d.title, "number": d.number} for d in documents]


class SupervisionFileView(APIView):
    @extend_schema(responses=s.SupervisionSummarySerializer, summary="Supervision file of one supervisee")
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        record_event(_actor(request), action=Action.VIEW, target=supervisee, detail={"api": "supervision_file"})
        period = selectors.approved_monitoring_period(supervisee, timezone.localdate())
        data = {
            "supervisee": supervisee.pk,
            "name": supervisee.name,
            "status": supervisee.status,
            "supervision_level": supervisee.supervision_level,
            "term_start": supervisee.term_start,
            "term_end": supervisee.term_end,
            "file": selectors.supervision_file_of(supervisee),
            "team": selectors.team_of(supervisee, current_only=True),
            "due": selectors.due_items_of(supervisee),
            "monitoring_period": list(period) if period else None,
        }
        return Response(s.SupervisionSummarySerializer(data).data)


class DocumentsReceivedView(APIView):
    @extend_schema(request=s.DocumentsReceivedSerializer, responses=s.SupervisionFileSerializer)
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.DocumentsReceivedSerializer, request)
        try:
            result = intake.record_documents_received(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.SupervisionFileSerializer(result).data)


class IntakeView(APIView):
    @extend_schema(request=s.IntakeSerializer, responses={201: s.IssuedDocumentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.IntakeSerializer, request)
        team = [TeamMemberInput(**member) for member in data.pop("team")]
        try:
            document = intake.register_intake(actor=_actor(request), supervisee=supervisee, team=team, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(_documents([document])[0], status=status.HTTP_201_CREATED)


class CheckInsView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.CheckInSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        return Response(s.CheckInSerializer(selectors.check_ins_of(supervisee)[:200], many=True).data)

    @extend_schema(request=s.CheckInInputSerializer, responses={201: s.CheckInSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.CheckInInputSerializer, request)
        try:
            created = daily.record_check_in(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.CheckInSerializer(created).data, status=status.HTTP_201_CREATED)


class VisitsView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.VisitSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        return Response(s.VisitSerializer(selectors.visits_of(supervisee)[:200], many=True).data)

    @extend_schema(request=s.VisitInputSerializer, responses={201: s.VisitSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.VisitInputSerializer, request)
        try:
            created = daily.record_visit(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.VisitSerializer(created).data, status=status.HTTP_201_CREATED)


class LeaveRequestsView(APIView):
    @extend_schema(responses=s.LeaveRequestSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        queryset = selectors.leave_requests_of(supervisee).prefetch_related("approval__steps")
        return Response(s.LeaveRequestSerializer(queryset, many=True).data)

    @extend_schema(request=s.LeaveInputSerializer, responses={201: s.LeaveRequestSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.LeaveInputSerializer, request)
        try:
            created = leave.request_leave(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.LeaveRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class MonitoringView(APIView):
    @extend_schema(responses=s.MonitoringSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        queryset = selectors.monitoring_of(supervisee).prefetch_related("approval__steps")
        return Response(s.MonitoringSerializer(queryset, many=True).data)

    @extend_schema(request=s.MonitoringInputSerializer, responses={201: s.MonitoringSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.MonitoringInputSerializer, request)
        extends_pk = data.pop("extends")
        extends = None
        if extends_pk is not None:
            extends = selectors.get_monitoring_for_user(request.user, extends_pk)  # type: ignore[arg-type]
        try:
            created = monitoring.request_monitoring(
                actor=_actor(request), supervisee=supervisee, extends=extends, **data
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.MonitoringSerializer(created).data, status=status.HTTP_201_CREATED)


class SanctionsView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.SanctionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        queryset = selectors.sanctions_of(supervisee).prefetch_related("approval__steps")
        return Response(s.SanctionSerializer(queryset, many=True).data)

    @extend_schema(request=s.SanctionInputSerializer, responses={201: s.SanctionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.SanctionInputSerializer, request)
        try:
            created = sanctions.propose_sanction(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.SanctionSerializer(created).data, status=status.HTTP_201_CREATED)


class ReleasePrepareView(APIView):
    @extend_schema(request=s.ReleasePrepareSerializer, responses={200: s.ReleasePrepareSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.ReleasePrepareSerializer, request)
        try:
            closure.prepare_release(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(data)


class ReleaseView(APIView):
    @extend_schema(request=s.ReleaseSerializer, responses={201: s.IssuedDocumentSerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.ReleaseSerializer, request)
        try:
            documents = closure.complete_release(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(_documents(documents), status=status.HTTP_201_CREATED)


class TerminationView(APIView):
    @extend_schema(request=s.TerminationSerializer, responses={201: s.TerminationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.TerminationSerializer, request)
        try:
            closure.terminate_supervision(actor=_actor(request), supervisee=supervisee, **data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.TerminationSerializer(data).data, status=status.HTTP_201_CREATED)


class ApprovalsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("awaiting", bool, description="Only requests waiting for my decision")],
        responses=s.ApprovalRequestSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        if request.query_params.get("awaiting") in ("1", "true"):
            ids = selectors.steps_awaiting(user).values("request_id")  # type: ignore[arg-type]
            queryset = selectors.approval_requests_visible_to(user).filter(pk__in=ids)  # type: ignore[arg-type]
        else:
            queryset = selectors.approval_requests_visible_to(user)  # type: ignore[arg-type]
        queryset = queryset.prefetch_related("steps__organisation", "steps__decided_by").order_by("-requested_at")
        return Response(s.ApprovalRequestSerializer(queryset[:200], many=True).data)


class ApprovalView(APIView):
    @extend_schema(responses=s.ApprovalRequestSerializer)
    def get(self, request: Request, pk: int) -> Response:
        approval = selectors.get_approval_request_for_user(request.user, pk)  # type: ignore[arg-type]
        record_event(_actor(request), action=Action.VIEW, target=approval, detail={"api": True})
        return Response(s.ApprovalRequestSerializer(approval).data)


class ApprovalDecisionView(APIView):
    @extend_schema(request=s.DecisionSerializer, responses=s.ApprovalRequestSerializer)
    def post(self, request: Request, pk: int) -> Response:
        approval = selectors.get_approval_request_for_user(request.user, pk)  # type: ignore[arg-type]
        data = _input(s.DecisionSerializer, request)
        try:
            decided = approval_services.decide(
                actor=_actor(request),
                request=approval,
                approve=data["decision"] == "approve",
                comment=data["comment"],
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(s.ApprovalRequestSerializer(decided).data)
