from __future__ import annotations

from rest_framework import serializers

from .models import Course, CourseAssignment, ExamAttempt, StudyFaceCheck


class CourseSerializer(serializers.ModelSerializer[Course]):
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Course
        fields = ["id", "title", "topic", "stage", "organisation", "is_published", "topic_month"]


class AssignmentSerializer(serializers.ModelSerializer[CourseAssignment]):
    course = CourseSerializer(read_only=True)

    class Meta:
        model = CourseAssignment
        fields = ["id", "course", "reason", "assigned_on", "due_on", "completed_at"]


class AttemptSerializer(serializers.ModelSerializer[ExamAttempt]):
    exam = serializers.CharField(source="exam.title", read_only=True)

    class Meta:
        model = ExamAttempt
        fields = ["id", "exam", "started_at", "submitted_at", "score", "passed"]


class FaceCheckSerializer(serializers.ModelSerializer[StudyFaceCheck]):
    similarity = serializers.FloatField(source="face_check.similarity", read_only=True, allow_null=True, default=None)

    class Meta:
        model = StudyFaceCheck
        fields = ["id", "requested_at", "answered_at", "outcome", "similarity", "reviewed_at"]


class SessionStartSerializer(serializers.Serializer[dict[str, int]]):
    lesson = serializers.IntegerField(required=False)
    attempt = serializers.IntegerField(required=False)


class HeartbeatSerializer(serializers.Serializer[dict[str, object]]):
    visible = serializers.BooleanField()
    playing = serializers.BooleanField(default=False)
    rate = serializers.FloatField(default=1.0, min_value=0, max_value=16)
    position = serializers.FloatField(default=0, min_value=0, max_value=24 * 3600)
    played = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(min_value=0), min_length=2, max_length=2),
        default=list,
        max_length=200,
    )
    seconds = serializers.FloatField(min_value=0, max_value=24 * 3600)
    idle_seconds = serializers.FloatField(default=0, min_value=0)


class HeartbeatResultSerializer(serializers.Serializer[dict[str, object]]):
    credited = serializers.FloatField()
    counted_seconds = serializers.FloatField()
    session_seconds = serializers.FloatField()
    completed = serializers.BooleanField()
    state = serializers.CharField()
    face_check_due = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class FaceCheckAnswerSerializer(serializers.Serializer[dict[str, object]]):
    """The camera photo (multipart field "photo"), or refused=1 when the camera cannot be used."""

    photo = serializers.ImageField(required=False)
    refused = serializers.BooleanField(required=False)
