"""REST endpoints of the learning app (/api/v1/learning/...): the study page's heartbeats and face
checks, and read-only lists. Every object comes through a scoped selector."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.audit.services import Actor
from zhengtu.supervisees.selectors import get_supervisee_for_user

from .models import Course, CourseAssignment, ExamAttempt, StudyFaceCheck
from .rules import rule
from .selectors import (
    attempts_visible_to,
    courses_visible_to,
    face_checks_visible_to,
    get_attempt_for_user,
    get_lesson_for_user,
    get_own_session,
    own_supervisee,
)
from .serializers import (
    AssignmentSerializer,
    AttemptSerializer,
    CourseSerializer,
    FaceCheckAnswerSerializer,
    FaceCheckSerializer,
    HeartbeatResultSerializer,
    HeartbeatSerializer,
    SessionStartSerializer,
)
from .services import face_checks, study


class CourseList(generics.ListAPIView[Course]):
    serializer_class = CourseSerializer

    def get_queryset(self) -> QuerySet[Course]:
        return courses_visible_to(self.request.user).select_related("organisation").order_by("pk")  # type: ignore[arg-type]


class MyAssignments(generics.ListAPIView[CourseAssignment]):
    serializer_class = AssignmentSerializer

    def get_queryset(self) -> QuerySet[CourseAssignment]:
        person = own_supervisee(self.request.user)  # type: ignore[arg-type]
        if person is None:
            return CourseAssignment.objects.none()
        return CourseAssignment.objects.filter(supervisee=person).select_related("course__organisation")


class PersonAttempts(generics.ListAPIView[ExamAttempt]):
    serializer_class = AttemptSerializer

    def get_queryset(self) -> QuerySet[ExamAttempt]:
        person = get_supervisee_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]
        return attempts_visible_to(self.request.user).filter(supervisee=person).select_related("exam")  # type: ignore[arg-type]


class PersonFaceChecks(generics.ListAPIView[StudyFaceCheck]):
    serializer_class = FaceCheckSerializer

    def get_queryset(self) -> QuerySet[StudyFaceCheck]:
        if own_supervisee(self.request.user) is not None:  # type: ignore[arg-type]
            raise PermissionDenied  # a person's face checks are for staff to judge
        person = get_supervisee_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]
        return face_checks_visible_to(self.request.user).filter(supervisee=person)  # type: ignore[arg-type]


class SessionStart(APIView):
    @extend_schema(request=SessionStartSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        person = own_supervisee(request.user)  # type: ignore[arg-type]
        if person is None:
            raise PermissionDenied
        data = SessionStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = attempt = None
        if data.validated_data.get("lesson"):
            lesson = get_lesson_for_user(request.user, data.validated_data["lesson"])  # type: ignore[arg-type]
        elif data.validated_data.get("attempt"):
            attempt = get_attempt_for_user(request.user, data.validated_data["attempt"])  # type: ignore[arg-type]
            if not attempt.is_open:
                raise NotFound
        else:
            raise ApiValidationError({"lesson": ["Name a lesson or an exam attempt."]})
        session = study.start_session(
            actor=Actor.from_request(request), supervisee=person, lesson=lesson, attempt=attempt
        )
        return Response(
            {"session": session.pk, "heartbeat_seconds": rule("learning_heartbeat_seconds")},
            status=status.HTTP_201_CREATED,
        )


class Heartbeat(APIView):
    @extend_schema(
        request=HeartbeatSerializer, responses={200: HeartbeatResultSerializer, 409: HeartbeatResultSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        data = HeartbeatSerializer(data=request.data)
        if not data.is_valid():
            get_own_session(request.user, pk)  # type: ignore[arg-type]  # someone else's session: 404, not 400
            raise ApiValidationError(data.errors)
        values = data.validated_data
        try:
            # The service fetches the session scoped to its own person, locked, in one statement: someone
            # else's session (or no session) is a 404, as through the selectors.
            result = study.heartbeat(
                actor=Actor.from_request(request),
                session=int(pk),
                beat=study.Beat(
                    visible=values["visible"],
                    playing=values["playing"],
                    rate=values["rate"],
                    position=values["position"],
                    played=values["played"],
                    claimed_seconds=values["seconds"],
                    idle_seconds=values["idle_seconds"],
                ),
            )
        except DjangoPermissionDenied as error:
            raise NotFound from error
        body = {
            "credited": result.credited,
            "counted_seconds": result.counted_seconds,
            "session_seconds": result.session_seconds,
            "completed": result.completed,
            "state": result.state,
            "face_check_due": result.face_check_due,
            "reasons": result.reasons,
        }
        return Response(body, status=status.HTTP_409_CONFLICT if result.refused else status.HTTP_200_OK)


class FaceCheckAnswer(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = FaceCheckSerializer

    @extend_schema(request=FaceCheckAnswerSerializer, responses={201: FaceCheckSerializer})
    def post(self, request: Request, pk: int) -> Response:
        session = get_own_session(request.user, pk)  # type: ignore[arg-type]
        photo = request.FILES.get("photo")
        refused = str(request.data.get("refused", "")).lower() in {"1", "true", "yes"}
        if photo is None and not refused:
            raise ApiValidationError({"photo": ["Send the photo, or refused=1 when the camera cannot be used."]})
        image = None if photo is None else photo.read(face_checks.MAX_PHOTO_BYTES + 1)
        try:
            check = face_checks.answer_face_check(actor=Actor.from_request(request), session=session, image=image)
        except ValidationError as error:
            raise ApiValidationError({"photo": error.messages}) from error
        session.refresh_from_db()
        return Response({**FaceCheckSerializer(check).data, "state": session.state}, status=status.HTTP_201_CREATED)
