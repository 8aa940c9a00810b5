"""/api/v1/projects/: projects, their KPI targets, progress and spending (scoped like the pages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.audit.services import Actor

from . import indicators as registry
from . import services
from .models import KpiTarget, ServiceProject, SpendingEntry
from .progress import budget_status, funds_received, project_progress
from .selectors import get_project_for_user, projects_visible_to, spending_of


class ProjectSerializer(serializers.ModelSerializer[ServiceProject]):
    buying_bureau_name = serializers.CharField(source="buying_bureau.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = ServiceProject
        fields = [
            "id",
            "name",
            "contract_number",
            "buying_bureau",
            "buying_bureau_name",
            "agency",
            "agency_name",
            "period_start",
            "period_end",
            "contract_amount",
            "budget_amount",
            "status",
        ]
        read_only_fields = fields


class ProjectList(generics.ListAPIView[ServiceProject]):
    serializer_class = ProjectSerializer

    def get_queryset(self) -> QuerySet[ServiceProject]:
        return projects_visible_to(self.request.user).select_related("buying_bureau", "agency")  # type: ignore[arg-type]


class ProjectDetail(generics.RetrieveAPIView[ServiceProject]):
    serializer_class = ProjectSerializer

    def get_object(self) -> ServiceProject:
        return get_project_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]


class TargetSerializer(serializers.ModelSerializer[KpiTarget]):
    indicator = serializers.ChoiceField(choices=())
    indicator_label = serializers.SerializerMethodField()

    class Meta:
        model = KpiTarget
        fields = ["id", "indicator", "indicator_label", "period_start", "period_end", "target_value", "note"]
        read_only_fields = ["id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, serializers.ChoiceField)
        field.choices = registry.indicator_choices()

    def get_indicator_label(self, target: KpiTarget) -> str:
        return str(registry.indicator(target.indicator).label)


class TargetList(generics.ListCreateAPIView[KpiTarget]):
    serializer_class = TargetSerializer
    pagination_class = None

    def project(self) -> ServiceProject:
        return get_project_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def get_queryset(self) -> QuerySet[KpiTarget]:
        return self.project().kpi_targets.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        project = self.project()
        serializer = TargetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            target = services.set_target(
                actor=Actor.from_request(request), project=project, **serializer.validated_data
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(_("You may not manage this project.")) from error
        return Response(TargetSerializer(target).data, status=201)


class ProgressItemSerializer(serializers.Serializer[Any]):
    target = serializers.IntegerField()
    indicator = serializers.CharField()
    indicator_label = serializers.CharField()
    unit = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    target_value = serializers.IntegerField()
    actual = serializers.IntegerField()
    # Wide enough for any stored target and count: one odd target must not break everyone's progress.
    completion = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    elapsed = serializers.DecimalField(max_digits=8, decimal_places=4)
    expected = serializers.DecimalField(max_digits=30, decimal_places=1)
    pace = serializers.CharField()


class BudgetLineStatusSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    allowance = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class ProgressSerializer(serializers.Serializer[Any]):
    project = serializers.IntegerField()
    as_of = serializers.DateField()
    targets = ProgressItemSerializer(many=True)
    budget = BudgetLineStatusSerializer(many=True)
    funds_received = serializers.DecimalField(max_digits=14, decimal_places=2)


class ProjectProgress(APIView):
    @extend_schema(responses=ProgressSerializer)
    def get(self, request: Request, pk: int) -> Response:
        project = get_project_for_user(request.user, pk)  # type: ignore[arg-type]
        today = timezone.localdate()
        items = project_progress(project, as_of=today)
        quantum = Decimal("0.0001")
        data = {
            "project": project.pk,
            "as_of": today,
            "targets": [
                {
                    "target": p.target.pk,
                    "indicator": p.target.indicator,
                    "indicator_label": str(p.indicator.label),
                    "unit": str(p.indicator.unit),
                    "period_start": p.target.period_start,
                    "period_end": p.target.period_end,
                    "target_value": p.target.target_value,
                    "actual": p.actual,
                    "completion": p.completion.quantize(quantum) if p.completion is not None else None,
                    "elapsed": p.elapsed.quantize(quantum),
                    "expected": p.expected,
                    "pace": p.pace,
                }
                for p in items
            ],
            "budget": [
                {
                    "id": s.line.pk,
                    "name": s.line.name,
                    "category": s.line.category,
                    "allowance": s.allowance,
                    "spent": s.spent,
                    "balance": s.balance,
                }
                for s in budget_status(project)
            ],
            "funds_received": funds_received(project),
        }
        return Response(ProgressSerializer(data).data)


class SpendingSerializer(serializers.ModelSerializer[SpendingEntry]):
    budget_line = serializers.IntegerField(source="budget_line_id")
    budget_line_name = serializers.CharField(source="budget_line.name", read_only=True)
    vouchers = serializers.ListField(child=serializers.FileField(), write_only=True, required=False)
    voucher_count = serializers.SerializerMethodField()

    class Meta:
        model = SpendingEntry
        fields = [
            "id",
            "budget_line",
            "budget_line_name",
            "spent_on",
            "amount",
            "description",
            "voucher_number",
            "vouchers",
            "voucher_count",
            "recorded_at",
        ]
        read_only_fields = ["id", "recorded_at"]

    def get_voucher_count(self, entry: SpendingEntry) -> int:
        return len(entry.vouchers.all())


class SpendingList(generics.ListCreateAPIView[SpendingEntry]):
    serializer_class = SpendingSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def project(self) -> ServiceProject:
        return get_project_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]

    def get_queryset(self) -> QuerySet[SpendingEntry]:
        return spending_of(self.project())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        project = self.project()
        serializer = SpendingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        line = project.budget_lines.filter(pk=data.pop("budget_line_id")).first()
        if line is None:
            raise ValidationError({"budget_line": [_("This project has no such budget line.")]})
        try:
            entry = services.record_spending(actor=Actor.from_request(request), line=line, **data)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(_("You may not manage this project.")) from error
        return Response(SpendingSerializer(spending_of(project).get(pk=entry.pk)).data, status=201)
