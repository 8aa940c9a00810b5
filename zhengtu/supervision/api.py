"""/api/v1/supervision/: the same operations as the pages, through the same services, scoped and audited.

A service's ValidationError is answered as a 400 by zhengtu.api.errors.exception_handler: views don't catch it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.documents.models import GeneratedDocument
from zhengtu.supervisees.models import Supervisee

from . import selectors
from . import serializers as s
from .approval_kinds import file_request, registry
from .services import appraisal, closure, daily, intake, leave, monitoring, sanctions
from .services import approvals as approval_services
from .services.intake import TeamMemberInput


def _actor(request: Request) -> Actor:
    return Actor.from_request(request)


def _supervisee(request: Request, pk: int) -> Supervisee:
    if not can(request.user, Capability.VIEW_SUPERVISEES):  # type: ignore[arg-type]
        raise PermissionDenied
    return selectors.get_supervisee_for_user(request.user, pk)  # type: ignore[arg-type]


def _input(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


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
        result = intake.record_documents_received(actor=_actor(request), supervisee=supervisee, **data)
        return Response(s.SupervisionFileSerializer(result).data)


class IntakeView(APIView):
    @extend_schema(request=s.IntakeSerializer, responses={201: s.IssuedDocumentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.IntakeSerializer, request)
        team = [TeamMemberInput(**member) for member in data.pop("team")]
        document = intake.register_intake(actor=_actor(request), supervisee=supervisee, team=team, **data)
        return Response(_documents([document])[0], status=status.HTTP_201_CREATED)


def supervisee_records_view(
    *,
    output_serializer: type[Serializer[Any]],
    input_serializer: type[Serializer[Any]],
    records: Callable[[Supervisee], Iterable[Model]],
    create: Callable[[Request, Supervisee, dict[str, Any]], Model],
    accepts_files: bool = False,
) -> type[APIView]:
    """GET lists one kind of record of a supervisee; POST records one more through its service (201)."""

    class SuperviseeRecordsView(APIView):
        if accepts_files:
            parser_classes = [JSONParser, MultiPartParser, FormParser]

        @extend_schema(responses=output_serializer(many=True))
        def get(self, request: Request, pk: int) -> Response:
            return Response(output_serializer(records(_supervisee(request, pk)), many=True).data)

        @extend_schema(request=input_serializer, responses={201: output_serializer})
        def post(self, request: Request, pk: int) -> Response:
            supervisee = _supervisee(request, pk)
            created = create(request, supervisee, _input(input_serializer, request))
            return Response(output_serializer(created).data, status=status.HTTP_201_CREATED)

    SuperviseeRecordsView.__name__ = SuperviseeRecordsView.__qualname__ = f"{output_serializer.__name__}RecordsView"
    return SuperviseeRecordsView


def _recorded_by(service: Callable[..., Model]) -> Callable[[Request, Supervisee, dict[str, Any]], Model]:
    def create(request: Request, supervisee: Supervisee, data: dict[str, Any]) -> Model:
        return service(actor=_actor(request), supervisee=supervisee, **data)

    return create


def _request_monitoring(request: Request, supervisee: Supervisee, data: dict[str, Any]) -> Model:
    extends_pk = data.pop("extends")
    extends = None
    if extends_pk is not None:
        extends = selectors.get_monitoring_for_user(request.user, extends_pk)  # type: ignore[arg-type]
    return monitoring.request_monitoring(actor=_actor(request), supervisee=supervisee, extends=extends, **data)


CheckInsView = supervisee_records_view(
    output_serializer=s.CheckInSerializer,
    input_serializer=s.CheckInInputSerializer,
    records=lambda supervisee: selectors.check_ins_of(supervisee)[:200],
    create=_recorded_by(daily.record_check_in),
    accepts_files=True,
)
VisitsView = supervisee_records_view(
    output_serializer=s.VisitSerializer,
    input_serializer=s.VisitInputSerializer,
    records=lambda supervisee: selectors.visits_of(supervisee)[:200],
    create=_recorded_by(daily.record_visit),
    accepts_files=True,
)
LeaveRequestsView = supervisee_records_view(
    output_serializer=s.LeaveRequestSerializer,
    input_serializer=s.LeaveInputSerializer,
    records=lambda supervisee: selectors.leave_requests_of(supervisee).prefetch_related("approval__steps"),
    create=_recorded_by(leave.request_leave),
)
MonitoringView = supervisee_records_view(
    output_serializer=s.MonitoringSerializer,
    input_serializer=s.MonitoringInputSerializer,
    records=lambda supervisee: selectors.monitoring_of(supervisee).prefetch_related("approval__steps"),
    create=_request_monitoring,
)
SanctionsView = supervisee_records_view(
    output_serializer=s.SanctionSerializer,
    input_serializer=s.SanctionInputSerializer,
    records=lambda supervisee: selectors.sanctions_of(supervisee).prefetch_related("approval__steps"),
    create=_recorded_by(sanctions.propose_sanction),
    accepts_files=True,
)


def _review_plan(request: Request, supervisee: Supervisee, data: dict[str, Any]) -> Model:
    appraisal_pk = data.pop("appraisal")
    chosen = None
    if appraisal_pk is not None:
        chosen = selectors.get_appraisal_for_user(request.user, appraisal_pk)  # type: ignore[arg-type]
    return appraisal.review_plan(actor=_actor(request), supervisee=supervisee, appraisal=chosen, **data)


AppraisalsView = supervisee_records_view(
    output_serializer=s.AppraisalSerializer,
    input_serializer=s.AppraisalInputSerializer,
    records=lambda supervisee: selectors.appraisals_of(supervisee)[:200],
    create=_recorded_by(appraisal.record_appraisal),
)
PlanReviewsView = supervisee_records_view(
    output_serializer=s.PlanReviewSerializer,
    input_serializer=s.PlanReviewInputSerializer,
    records=lambda supervisee: selectors.plan_reviews_of(supervisee)[:200],
    create=_review_plan,
)


class AppraisalView(APIView):
    @extend_schema(responses=s.AppraisalSerializer, summary="One appraisal")
    def get(self, request: Request, pk: int) -> Response:
        if not can(request.user, Capability.VIEW_SUPERVISEES):  # type: ignore[arg-type]
            raise PermissionDenied
        chosen = selectors.get_appraisal_for_user(request.user, pk)  # type: ignore[arg-type]
        record_event(_actor(request), action=Action.VIEW, target=chosen, detail={"api": True})
        return Response(s.AppraisalSerializer(chosen).data)


class AppraisalApplyLevelView(APIView):
    """Adopt the level an appraisal suggests: recorded as a periodic level review."""

    @extend_schema(request=None, responses=s.AppraisalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        if not can(request.user, Capability.VIEW_SUPERVISEES):  # type: ignore[arg-type]
            raise PermissionDenied
        chosen = selectors.get_appraisal_for_user(request.user, pk)  # type: ignore[arg-type]
        return Response(
            s.AppraisalSerializer(appraisal.apply_level_suggestion(actor=_actor(request), appraisal=chosen)).data
        )


class SanctionDecisionView(APIView):
    """The receiving organ's decision (granted or refused) on a request sent to it, with a scan."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.OrganDecisionInputSerializer, responses=s.SanctionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        if not can(request.user, Capability.VIEW_SUPERVISEES):  # type: ignore[arg-type]
            raise PermissionDenied
        sanction = selectors.get_sanction_for_user(request.user, pk)  # type: ignore[arg-type]
        data = _input(s.OrganDecisionInputSerializer, request)
        decided = sanctions.record_request_decision(actor=_actor(request), sanction=sanction, **data)
        return Response(s.SanctionSerializer(decided).data)


class ReleasePrepareView(APIView):
    @extend_schema(request=s.ReleasePrepareSerializer, responses={200: s.ReleasePrepareSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.ReleasePrepareSerializer, request)
        closure.prepare_release(actor=_actor(request), supervisee=supervisee, **data)
        return Response(data)


class ReleaseView(APIView):
    @extend_schema(request=s.ReleaseSerializer, responses={201: s.IssuedDocumentSerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.ReleaseSerializer, request)
        documents = closure.complete_release(actor=_actor(request), supervisee=supervisee, **data)
        return Response(_documents(documents), status=status.HTTP_201_CREATED)


class TerminationView(APIView):
    @extend_schema(request=s.TerminationSerializer, responses={201: s.TerminationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.TerminationSerializer, request)
        closure.terminate_supervision(actor=_actor(request), supervisee=supervisee, **data)
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
        decided = approval_services.decide(
            actor=_actor(request),
            request=approval,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        )
        return Response(s.ApprovalRequestSerializer(decided).data)


class ApprovalKindsView(APIView):
    """Every kind of request the approval engine decides, with its fields and limits (the app builds forms from it)."""

    @extend_schema(responses=s.ApprovalKindSerializer(many=True), summary="Kinds of approval request")
    def get(self, request: Request) -> Response:
        kinds: list[dict[str, Any]] = []
        for spec in registry().values():
            form = spec.form()
            kinds.append(
                {
                    "kind": spec.kind,
                    "title": str(spec.label),
                    "limits": spec.limits(),
                    "documents": list(spec.documents),
                    "inputs": [
                        {"name": name, "title": str(field.label), "mandatory": field.required}
                        for name, field in form.fields.items()
                    ],
                }
            )
        return Response(s.ApprovalKindSerializer(kinds, many=True).data)  # type: ignore[arg-type]


class SuperviseeRequestsView(APIView):
    """File a request of any registered kind: {"kind": "cross_city", ...the kind's fields}."""

    @extend_schema(request=s.FileRequestSerializer, responses={201: s.ApprovalRequestSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = dict(request.data.items()) if hasattr(request.data, "items") else {}
        kind = str(data.pop("kind", ""))
        subject = file_request(actor=_actor(request), supervisee=supervisee, kind=kind, data=data)
        approval = subject.approval  # type: ignore[attr-defined]
        return Response(s.ApprovalRequestSerializer(approval).data, status=status.HTTP_201_CREATED)
