"""API shapes of the supervision workflow. Input serializers check shapes; services check rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhengtu.api.fields import named_choice_class, named_choice_field
from zhengtu.supervisees.models import SupervisionLevel

from .models import (
    Appraisal,
    AppraisalPeriod,
    ApprovalRequest,
    ApprovalStep,
    CheckIn,
    CheckInChannel,
    CheckInKind,
    DecisionOutcome,
    LeaveRequest,
    MonitoringApproval,
    PlanReview,
    Sanction,
    SanctionKind,
    SearchOutcome,
    SearchRecord,
    SearchStep,
    SearchStepKind,
    SearchTrigger,
    SupervisionFile,
    TeamMember,
    TeamRole,
    TerminationReason,
    Visit,
    VisitKind,
)

CHOICE_MESSAGE = {"invalid_choice": _("“{input}” is not one of the allowed values.")}
DATE_MESSAGE = {"invalid": _("Write the date as YYYY-MM-DD.")}
REQUIRED_MESSAGE = {"required": _("This field is required."), "blank": _("This field cannot be empty.")}


class ModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Model choices are documented as enums named after model and field ("CheckInKind"), shared with inputs."""

    def build_standard_field(
        self, field_name: str, model_field: Any
    ) -> tuple[type[serializers.Field[Any, Any, Any, Any]], dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "choices" in kwargs:
            field_class = named_choice_class(
                model_field.model.__name__ + field_name.title().replace("_", ""), kwargs["choices"]
            )
        return field_class, kwargs


def date_field(**kwargs: object) -> serializers.DateField:
    return serializers.DateField(error_messages={**DATE_MESSAGE, **REQUIRED_MESSAGE}, **kwargs)  # type: ignore[arg-type]


def datetime_field() -> serializers.DateTimeField:
    return serializers.DateTimeField(
        error_messages={
            "invalid": _("Write the time as YYYY-MM-DDThh:mm (ISO 8601)."),
            "required": _("This field is required."),
        }
    )


def choice_field(component: str, choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return named_choice_field(component, choices, error_messages={**CHOICE_MESSAGE, **REQUIRED_MESSAGE}, **kwargs)


def text_field(**kwargs: object) -> serializers.CharField:
    return serializers.CharField(error_messages=REQUIRED_MESSAGE, **kwargs)  # type: ignore[arg-type]


class TeamMemberSerializer(ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "role", "name", "phone", "unit", "joined_on", "left_on"]


class TeamMemberInputSerializer(serializers.Serializer[dict[str, object]]):
    role = choice_field("TeamMemberRole", TeamRole.choices)
    name = text_field(max_length=50)
    phone = serializers.CharField(max_length=30, required=False, default="")
    unit = serializers.CharField(max_length=100, required=False, default="")


class SupervisionFileSerializer(ModelSerializer):
    arrival_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = SupervisionFile
        fields = [
            "documents_received_on",
            "reporting_deadline",
            "reporting_deadline_approximate",
            "reported_on",
            "announced_on",
            "announcement_place",
            "correction_plan",
            "plan_measures",
            "arrival_overdue",
        ]


class DueItemSerializer(serializers.Serializer[object]):
    kind = serializers.CharField()
    due_on = serializers.DateField()


class SupervisionSummarySerializer(serializers.Serializer[object]):
    supervisee = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    supervision_level = serializers.CharField()
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    file = SupervisionFileSerializer(allow_null=True)
    team = TeamMemberSerializer(many=True)
    due = DueItemSerializer(many=True)
    monitoring_period = serializers.ListField(child=serializers.DateField(), allow_null=True)


class DocumentsReceivedSerializer(serializers.Serializer[dict[str, object]]):
    received_on = date_field()


class IntakeSerializer(serializers.Serializer[dict[str, object]]):
    reported_on = date_field()
    # A plain choice field: the shared settings name this choice set "SupervisionLevelEnum" for every app.
    initial_level = serializers.ChoiceField(
        choices=SupervisionLevel.choices, error_messages={**CHOICE_MESSAGE, **REQUIRED_MESSAGE}
    )
    announced_on = date_field()
    announcement_place = text_field(max_length=100)
    correction_plan = serializers.CharField(required=False, default="", allow_blank=True)
    plan_measures = serializers.CharField(required=False, default="", allow_blank=True)
    documents_received_on = date_field(required=False, allow_null=True, default=None)
    team = TeamMemberInputSerializer(many=True, required=False, default=list)


class IssuedDocumentSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()


class CheckInSerializer(ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "kind", "channel", "occurred_on", "content", "recorded_at"]
        read_only_fields = ["id", "recorded_at"]
        extra_kwargs = {
            "kind": {"error_messages": {**CHOICE_MESSAGE, **REQUIRED_MESSAGE}},
            "channel": {"error_messages": {**CHOICE_MESSAGE, **REQUIRED_MESSAGE}},
            "occurred_on": {"error_messages": {**DATE_MESSAGE, **REQUIRED_MESSAGE}},
        }


class CheckInInputSerializer(serializers.Serializer[dict[str, object]]):
    kind = choice_field("CheckInKind", CheckInKind.choices)
    channel = choice_field("CheckInChannel", CheckInChannel.choices)
    occurred_on = date_field()
    content = serializers.CharField(required=False, default="", allow_blank=True)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class VisitSerializer(ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "kind", "visited_on", "place", "people_met", "notes", "recorded_at"]


class VisitInputSerializer(serializers.Serializer[dict[str, object]]):
    kind = choice_field("VisitKind", VisitKind.choices)
    visited_on = date_field()
    place = text_field(max_length=200)
    people_met = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    notes = text_field()
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ApprovalStepSerializer(ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    decided_by = serializers.CharField(source="decided_by.display_name", default="")

    class Meta:
        model = ApprovalStep
        fields = ["order", "level", "organisation", "status", "decided_by", "decided_at", "comment", "due_on"]


class ApprovalRequestSerializer(ModelSerializer):
    steps = ApprovalStepSerializer(many=True, read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "kind",
            "supervisee",
            "summary",
            "status",
            "routing_reason",
            "requested_at",
            "decided_at",
            "steps",
        ]


class LeaveRequestSerializer(ModelSerializer):
    approval = ApprovalRequestSerializer(read_only=True)
    days = serializers.IntegerField(read_only=True)

    class Meta:
        model = LeaveRequest
        fields = ["id", "start_date", "end_date", "days", "destination", "reason", "returned_on", "approval"]


class LeaveInputSerializer(serializers.Serializer[dict[str, object]]):
    start_date = date_field()
    end_date = date_field()
    destination = text_field(max_length=200)
    reason = text_field()


class DecisionSerializer(serializers.Serializer[dict[str, object]]):
    decision = choice_field("ApprovalDecision", [("approve", _("Approve")), ("reject", _("Reject"))])
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class MonitoringSerializer(ModelSerializer):
    approval = ApprovalRequestSerializer(read_only=True)

    class Meta:
        model = MonitoringApproval
        fields = ["id", "situation", "facts", "start_date", "end_date", "extends", "approval"]


class MonitoringInputSerializer(serializers.Serializer[dict[str, object]]):
    situation = serializers.CharField(required=False, default="", allow_blank=True)
    facts = serializers.CharField(required=False, default="", allow_blank=True)
    start_date = date_field()
    end_date = date_field()
    extends = serializers.IntegerField(required=False, allow_null=True, default=None)


class SanctionSerializer(ModelSerializer):
    approval = ApprovalRequestSerializer(read_only=True)

    class Meta:
        model = Sanction
        fields = [
            "id",
            "kind",
            "facts",
            "legal_basis",
            "occurred_on",
            "receiving_organ_kind",
            "receiving_organ",
            "sent_on",
            "decision_number",
            "decided_on",
            "decision_outcome",
            "approval",
        ]


class SanctionInputSerializer(serializers.Serializer[dict[str, object]]):
    kind = choice_field("SanctionKind", SanctionKind.choices)
    facts = text_field()
    occurred_on = date_field()
    legal_basis = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    receiving_organ = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReleasePrepareSerializer(serializers.Serializer[dict[str, object]]):
    self_summary = text_field()
    appraisal = text_field()


class ReleaseSerializer(serializers.Serializer[dict[str, object]]):
    released_on = date_field()
    announcement_place = text_field(max_length=100)
    by_pardon = serializers.BooleanField(required=False, default=False)
    pardon_decision = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class TerminationSerializer(serializers.Serializer[dict[str, object]]):
    reason = choice_field("TerminationReason", TerminationReason.choices)
    effective_on = date_field()
    decision = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class ApprovalKindFieldSerializer(serializers.Serializer[dict[str, object]]):
    name = serializers.CharField()
    title = serializers.CharField()
    mandatory = serializers.BooleanField()


class ApprovalKindSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.CharField()
    title = serializers.CharField()
    limits = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField())
    inputs = ApprovalKindFieldSerializer(many=True)


class FileRequestSerializer(serializers.Serializer[dict[str, object]]):
    """A request of any kind listed by /supervision/approval-kinds/, with that kind's fields."""

    kind = serializers.CharField()
    subject = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    new_address = serializers.CharField(required=False)


class AppraisalSerializer(ModelSerializer):
    # A plain string: the level's choice set is documented once, as SupervisionLevelEnum.
    suggested_level = serializers.CharField(read_only=True)

    class Meta:
        model = Appraisal
        fields = ["id", "period", "period_start", "score", "grade", "notes", "suggested_level", "level_applied"]


class AppraisalInputSerializer(serializers.Serializer[dict[str, object]]):
    period = choice_field("AppraisalPeriod", AppraisalPeriod.choices)
    period_start = date_field()
    score = serializers.IntegerField(
        error_messages={**REQUIRED_MESSAGE, "invalid": _("Enter the score as a whole number.")}
    )
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class PlanReviewSerializer(ModelSerializer):
    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "findings", "plan_changes", "appraisal"]


class PlanReviewInputSerializer(serializers.Serializer[dict[str, object]]):
    reviewed_on = date_field()
    findings = text_field()
    plan_changes = serializers.CharField(required=False, default="", allow_blank=True)
    appraisal = serializers.IntegerField(required=False, allow_null=True, default=None)


class SearchStepSerializer(ModelSerializer):
    class Meta:
        model = SearchStep
        fields = ["id", "kind", "taken_at", "notes"]


class SearchRecordSerializer(ModelSerializer):
    steps = SearchStepSerializer(many=True, read_only=True)
    alerts = serializers.ListField(child=serializers.CharField(), read_only=True)
    opened_automatically = serializers.BooleanField(read_only=True)

    class Meta:
        model = SearchRecord
        fields = [
            "id",
            "supervisee",
            "trigger",
            "lost_contact_at",
            "notes",
            "opened_at",
            "opened_automatically",
            "police_station",
            "police_notified_at",
            "closed_at",
            "outcome",
            "outcome_notes",
            "next_step",
            "steps",
            "alerts",
        ]


class SearchOpenInputSerializer(serializers.Serializer[dict[str, object]]):
    trigger = choice_field("SearchRecordTrigger", SearchTrigger.choices)
    lost_contact_at = datetime_field()
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class SearchStepInputSerializer(serializers.Serializer[dict[str, object]]):
    kind = choice_field("SearchStepKind", SearchStepKind.choices)
    taken_at = datetime_field()
    notes = text_field()


class PoliceNoticeInputSerializer(serializers.Serializer[dict[str, object]]):
    police_station = text_field(max_length=100)


class SearchCloseInputSerializer(serializers.Serializer[dict[str, object]]):
    outcome = choice_field("SearchRecordOutcome", SearchOutcome.choices)
    notes = text_field()
    next_step = serializers.IntegerField(required=False, allow_null=True, default=None)


class OrganDecisionInputSerializer(serializers.Serializer[dict[str, object]]):
    outcome = choice_field("SanctionDecisionOutcome", DecisionOutcome.choices)
    decided_on = date_field()
    decision_number = text_field(max_length=100)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)
