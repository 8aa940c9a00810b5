"""REST API of assessments under /api/v1/assessment/.

List instruments; create an assessment with answers and get back its scores and levels; read an
assessment; read a report's status and download it. Same selectors (404 outside scope), same
services (checks, scoring, alerts, audit) as the pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.accounts.models import User
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.downloads import stored_file_response
from zhengtu.supervisees.selectors import supervisees_visible_to

from .models import Assessment, AssessmentMode, AssessmentStatus, Instrument, InstrumentKind
from .permissions import can_assess, can_view_results
from .selectors import assessments_visible_to, get_assessment_for_user, get_instrument_for_user, usable_instruments
from .services.assessments import AnswersIncomplete, save_draft, start_assessment, submit_assessment


class CanViewResults(permissions.BasePermission):
    message = _("You may not read assessments.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_results(request.user)  # type: ignore[arg-type]


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


# ---------------------------------------------------------------- serializers


def _named_choice(component: str, choices: list[tuple[str, Any]] | list[str]) -> type[serializers.ChoiceField]:
    """A choice field documented as its own schema component: other apps also have a "kind" or "status"."""
    values = [choice[0] if isinstance(choice, tuple) else choice for choice in choices]
    field_class = type(component, (serializers.ChoiceField,), {})
    return extend_schema_field({"type": "string", "enum": values}, component_name=component)(field_class)  # type: ignore[no-any-return]


InstrumentKindField = _named_choice("AssessmentInstrumentKind", InstrumentKind.choices)
ModeField = _named_choice("AssessmentMode", AssessmentMode.choices)
StatusField = _named_choice("AssessmentStatus", AssessmentStatus.choices)
ReportStateField = _named_choice("AssessmentReportState", ["issued", "pending", "not_required", "not_scored"])
CREATE_MODES = [AssessmentMode.INTERVIEW.value, AssessmentMode.PAPER.value]
CreateModeField = _named_choice("AssessmentCreateMode", CREATE_MODES)


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    kind = InstrumentKindField(choices=InstrumentKind.choices, read_only=True)
    version = serializers.CharField(source="current_version.version", read_only=True)
    is_example = serializers.BooleanField(source="current_version.is_example", read_only=True)
    has_placeholder_texts = serializers.BooleanField(source="current_version.has_placeholder_texts", read_only=True)
    is_sensitive = serializers.BooleanField(source="current_version.is_sensitive", read_only=True)

    class Meta:
        model = Instrument
        fields = ["id", "code", "title", "kind", "version", "is_example", "has_placeholder_texts", "is_sensitive"]


class ChoiceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class QuestionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    hint = serializers.CharField()  # type: ignore[assignment]
    required = serializers.CharField(help_text=_('"yes" or an expression'))  # type: ignore[assignment]
    relevant = serializers.CharField(help_text=_("XLSForm skip logic; evaluated again by the server"))
    constraint = serializers.CharField()
    choices = ChoiceSerializer(many=True)


class InstrumentDetailSerializer(InstrumentSerializer):
    questions = serializers.SerializerMethodField()

    class Meta(InstrumentSerializer.Meta):
        fields = [*InstrumentSerializer.Meta.fields, "questions"]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, instrument: Instrument) -> list[dict[str, Any]]:
        version = instrument.current_version
        if version is None:
            return []
        definition = version.parsed
        return [
            {
                "name": item.name,
                "type": item.type,
                "label": item.label,
                "hint": item.hint,
                "required": item.required,
                "relevant": item.relevant,
                "constraint": item.constraint,
                "choices": [{"name": c.name, "label": c.label} for c in definition.choices.get(item.list_name, ())],
            }
            for item in definition.questions
        ]


class DomainScoreSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    score = serializers.FloatField()
    maximum = serializers.FloatField()
    ratio = serializers.FloatField()
    level = serializers.CharField(allow_blank=True)


class NeedSerializer(serializers.Serializer[Any]):
    priority = serializers.IntegerField()
    domain = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    level = serializers.CharField(allow_blank=True)


class CriticalSerializer(serializers.Serializer[Any]):
    item = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    answer = serializers.CharField()
    message = serializers.CharField(allow_blank=True)


class ReportStatusSerializer(serializers.Serializer[Any]):
    status = ReportStateField(choices=["issued", "pending", "not_required", "not_scored"])
    number = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(allow_null=True)
    due_is_approximate = serializers.BooleanField()
    issued_on = serializers.DateField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    overdue = serializers.BooleanField()
    docx_url = serializers.CharField(allow_blank=True)
    pdf_url = serializers.CharField(allow_blank=True)


def report_status(assessment: Assessment) -> dict[str, Any]:
    report = getattr(assessment, "report", None)
    today = timezone.localdate()
    if report is not None:
        state = "issued"
    elif assessment.due_on is None:
        state = "not_required"
    elif assessment.status != AssessmentStatus.SUBMITTED:
        state = "not_scored"
    else:
        state = "pending"
    return {
        "status": state,
        "number": report.number if report else "",
        "due_on": assessment.due_on,
        "due_is_approximate": assessment.due_is_approximate,
        "issued_on": report.issued_on if report else None,
        "on_time": report.on_time if report else None,
        "overdue": report is None and assessment.due_on is not None and assessment.due_on < today,
        "docx_url": reverse("assessment-api-report-file", args=[assessment.pk, "docx"]) if report else "",
        "pdf_url": reverse("assessment-api-report-file", args=[assessment.pk, "pdf"]) if report else "",
    }


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    instrument = serializers.CharField(source="instrument_version.instrument.code", read_only=True)
    instrument_version = serializers.CharField(source="instrument_version.version", read_only=True)
    domains = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()
    critical = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    mode = ModeField(choices=AssessmentMode.choices, read_only=True)
    status = StatusField(choices=AssessmentStatus.choices, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "supervisee",
            "instrument",
            "instrument_version",
            "mode",
            "status",
            "received_on",
            "due_on",
            "due_is_approximate",
            "total_score",
            "computed_level",
            "level",
            "level_label",
            "recommended_supervision_level",
            "has_critical_items",
            "domains",
            "needs",
            "critical",
            "report",
            "answers",
        ]
        read_only_fields = fields

    @extend_schema_field(DomainScoreSerializer(many=True))
    def get_domains(self, assessment: Assessment) -> list[dict[str, Any]]:
        result = assessment.score_result
        return [
            {
                "name": d.name,
                "label": d.label,
                "score": d.score,
                "maximum": d.maximum,
                "ratio": d.ratio,
                "level": d.level.label if d.level else "",
            }
            for d in (result.domains if result else [])
        ]

    @extend_schema_field(NeedSerializer(many=True))
    def get_needs(self, assessment: Assessment) -> list[dict[str, Any]]:
        result = assessment.score_result
        return [
            {"priority": n.priority, "domain": n.domain, "label": n.label, "level": n.level_label}
            for n in (result.needs if result else [])
        ]

    @extend_schema_field(CriticalSerializer(many=True))
    def get_critical(self, assessment: Assessment) -> list[dict[str, Any]]:
        result = assessment.score_result
        return [
            {"item": c.item, "label": c.label, "answer": c.value_label, "message": c.message}
            for c in (result.critical if result else [])
        ]

    @extend_schema_field(ReportStatusSerializer)
    def get_report(self, assessment: Assessment) -> dict[str, Any]:
        return report_status(assessment)


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    supervisee = serializers.IntegerField(help_text=_("Supervisee id (must be in your scope)"))
    instrument = serializers.CharField(help_text=_("Instrument id or code"))
    answers = serializers.DictField(child=serializers.JSONField(), help_text=_("Question name → answer"))
    received_on = serializers.DateField(
        required=False, help_text=_("Date the questionnaire was received; today if absent")
    )
    mode = CreateModeField(choices=CREATE_MODES, default=AssessmentMode.INTERVIEW)
    submit = serializers.BooleanField(default=True, help_text=_("False keeps a draft without scoring"))


# ---------------------------------------------------------------- views


class InstrumentListView(generics.ListAPIView[Instrument]):
    serializer_class = InstrumentSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewResults]

    def get_queryset(self) -> Any:
        return usable_instruments(_user(self.request)).order_by("kind", "code")

    @extend_schema(summary="Instruments you may use (current versions)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class InstrumentDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewResults]

    @extend_schema(summary="One instrument with its questions", responses=InstrumentDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        instrument = get_instrument_for_user(_user(request), pk)
        return Response(InstrumentDetailSerializer(instrument).data)


class AssessmentListCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewResults]

    @extend_schema(summary="Assessments in your scope, newest first", responses=AssessmentSerializer(many=True))
    def get(self, request: Request) -> Response:
        from rest_framework.pagination import PageNumberPagination

        rows = (
            assessments_visible_to(_user(request))
            .exclude(status=AssessmentStatus.CANCELLED)
            .select_related("instrument_version", "instrument_version__instrument", "report")
            .order_by("-received_on", "-id")
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        record_event(
            request, action=Action.VIEW, object_type="assessment.assessment", detail={"list": [a.pk for a in page]}
        )
        return paginator.get_paginated_response(AssessmentSerializer(page, many=True).data)

    @extend_schema(
        summary="Create an assessment with answers; get back its scores and levels",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, 400: OpenApiResponse(description="Answers to correct, per question")},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        if not can_assess(user):
            raise PermissionDenied(_("You may not carry out assessments."))
        given = AssessmentCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        supervisee = supervisees_visible_to(user).filter(pk=data["supervisee"]).first()
        if supervisee is None:
            raise ValidationError({"supervisee": [_("No such supervisee among the people you may see.")]})
        instrument = self._instrument(user, data["instrument"])
        actor = Actor.from_request(request)
        try:
            with transaction.atomic():  # all or nothing: refused answers leave no draft behind
                assessment = start_assessment(
                    actor=actor,
                    supervisee=supervisee,
                    instrument=instrument,
                    mode=data["mode"],
                    received_on=data.get("received_on"),
                )
                if data["submit"]:
                    submit_assessment(actor=actor, assessment=assessment, answers=data["answers"])
                else:
                    save_draft(actor=actor, assessment=assessment, answers=data["answers"])
        except AnswersIncomplete as error:
            raise ValidationError(
                {"answers": {name: [message] for name, message in error.evaluation.errors.items()}}
            ) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        assessment.refresh_from_db()
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _instrument(user: User, given: str) -> Instrument:
        usable = usable_instruments(user)
        found = (
            usable.filter(pk=int(given)).first()
            if given.isdigit()
            else usable.filter(code=given).order_by("-organisation_id").first()
        )
        if found is None:
            raise ValidationError({"instrument": [_("No such instrument in use.")]})
        return found


class AssessmentDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewResults]

    @extend_schema(summary="One assessment with scores and levels (audited)", responses=AssessmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        assessment = get_assessment_for_user(_user(request), pk)
        record_event(
            request, action=Action.VIEW, target=assessment, detail={"api": True, "sensitive": assessment.is_sensitive}
        )
        return Response(AssessmentSerializer(assessment).data)


class ReportStatusView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewResults]

    @extend_schema(
        summary="The report's status: due date, issued or not, download links",
        responses=ReportStatusSerializer,
        operation_id="assessment_report_status",
    )
    def get(self, request: Request, pk: int) -> Response:
        assessment = get_assessment_for_user(_user(request), pk)
        return Response(ReportStatusSerializer(report_status(assessment)).data)


class ReportFileView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewResults]

    @extend_schema(
        summary="Download the issued report (docx or pdf; audited as an export)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        operation_id="assessment_report_file",
    )
    def get(self, request: Request, pk: int, fmt: str) -> FileResponse:
        assessment = get_assessment_for_user(_user(request), pk)
        report = getattr(assessment, "report", None)
        if report is None or fmt not in ("docx", "pdf"):
            raise Http404
        stored = report.docx if fmt == "docx" else report.pdf
        if not stored:
            raise Http404
        record_event(request, action=Action.EXPORT, target=report, detail={"format": fmt, "api": True})
        return stored_file_response(stored, f"{report.number}.{fmt}")
