"""API shapes of inspections."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from .models import Finding, InspectionRound, ProjectInspection, RectificationItem


class RoundSerializer(serializers.ModelSerializer[InspectionRound]):
    association = serializers.CharField(source="association.name", read_only=True)
    rubric = serializers.CharField(source="rubric.name", read_only=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "association", "title", "rubric", "starts_on", "ends_on", "status"]
        read_only_fields = fields


class RoundFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    projects_in_round = serializers.IntegerField()
    projects_inspected = serializers.IntegerField()
    average_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    highest_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    lowest_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    county_projects = serializers.IntegerField()
    city_projects = serializers.IntegerField()
    flagged = serializers.IntegerField()


class PanelScoreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    measure = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=6, decimal_places=2)
    flagged = serializers.BooleanField()


class FindingSerializer(serializers.ModelSerializer[Finding]):
    # Plain text rather than an enum: "kind" names other choice sets elsewhere in the API.
    kind = serializers.CharField(read_only=True, help_text="strength | problem")
    area = serializers.CharField(source="section.title", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Finding
        fields = ["id", "kind", "area", "text", "recommendation"]
        read_only_fields = fields


class RectificationSerializer(serializers.ModelSerializer[RectificationItem]):
    project = serializers.CharField(source="inspection.project.name", read_only=True)
    owner = serializers.CharField(source="owner.display_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "inspection",
            "project",
            "description",
            "owner",
            "due_on",
            "status",
            "closing_note",
            "closed_at",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer[ProjectInspection]):
    round = serializers.CharField(source="round.title", read_only=True)
    project = serializers.CharField(source="project.name", read_only=True)
    agency = serializers.CharField(source="project.agency.name", read_only=True)
    panel = serializers.CharField(source="panel.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ProjectInspection
        fields = ["id", "round", "project", "agency", "panel", "visit_on", "status", "summary"]
        read_only_fields = fields


class IndicatorPointsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    indicator = serializers.IntegerField(
        error_messages={"invalid": pgettext_lazy("inspections", "Give the indicator's number.")}
    )
    points = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal(0),
        allow_null=True,
        error_messages={
            "invalid": pgettext_lazy("inspections", "Points must be a number."),
            "min_value": pgettext_lazy("inspections", "Points cannot be negative."),
        },
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ScoresheetInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scores = IndicatorPointsSerializer(many=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False)


class ScoresheetOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    inspection = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()
    scores = IndicatorPointsSerializer(many=True)
