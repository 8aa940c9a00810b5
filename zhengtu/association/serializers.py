"""API shapes of the association's records."""

from __future__ import annotations

from rest_framework import serializers

from .models import Membership, SupervisorFiling, Training


class TrainingSerializer(serializers.ModelSerializer[Training]):
    association = serializers.CharField(source="association.name", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "association",
            "topic",
            "trainer",
            "audience",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "is_cancelled",
        ]
        read_only_fields = fields


class SatisfactionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answers = serializers.IntegerField()
    satisfied_answers = serializers.IntegerField()
    mean_score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class TrainingFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    registered = serializers.IntegerField()
    attended = serializers.IntegerField()
    responses = serializers.IntegerField()
    satisfaction = SatisfactionSerializer()


class YearFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    sessions = serializers.IntegerField()
    person_times = serializers.IntegerField()
    responses = serializers.IntegerField()
    satisfaction = SatisfactionSerializer()
    method = serializers.CharField()


class DirectoryEntrySerializer(serializers.ModelSerializer[Membership]):
    # Plain text rather than an enum: "kind" names other choice sets elsewhere in the API.
    kind = serializers.CharField(read_only=True, help_text="unit | individual")
    association = serializers.CharField(source="association.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "association", "kind", "name", "member_number", "employer", "joined_on"]
        read_only_fields = fields


class SupervisorFilingSerializer(serializers.ModelSerializer[SupervisorFiling]):
    association = serializers.CharField(source="association.name", read_only=True)
    supervisor = serializers.CharField(source="supervisor.display_name", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SupervisorFiling
        fields = [
            "id",
            "association",
            "supervisor",
            "agency",
            "qualification_level",
            "status",
            "filing_number",
            "valid_from",
            "valid_until",
            "submitted_at",
            "reviewed_at",
            "renewal_of",
        ]
        read_only_fields = fields
