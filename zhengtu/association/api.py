"""REST endpoints of the association (/api/v1/association/...). Reads go through the scoped selectors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event

from .models import Membership, SupervisorFiling, Training
from .rules import rule
from .selectors import (
    filings_visible_to,
    get_managed_training,
    get_training_for_user,
    member_directory,
    training_figures,
    trainings_managed_by,
    trainings_visible_to,
    year_figures,
)
from .serializers import (
    DirectoryEntrySerializer,
    SupervisorFilingSerializer,
    TrainingFiguresSerializer,
    TrainingSerializer,
    YearFiguresSerializer,
)
from .services import trainings as training_services
from .views.common import selected_year


class TrainingList(generics.ListAPIView[Training]):
    serializer_class = TrainingSerializer

    def get_queryset(self) -> QuerySet[Training]:
        return trainings_visible_to(self.request.user).order_by("-starts_at")  # type: ignore[arg-type]


class TrainingDetail(generics.RetrieveAPIView[Training]):
    serializer_class = TrainingSerializer

    def get_object(self) -> Training:
        return get_training_for_user(self.request.user, self.kwargs["pk"])  # type: ignore[arg-type]


class TrainingFigures(APIView):
    @extend_schema(responses=TrainingFiguresSerializer)
    def get(self, request: Request, pk: int) -> Response:
        training = get_managed_training(request.user, pk)  # type: ignore[arg-type]
        return Response(TrainingFiguresSerializer(training_figures(training)).data)


class TrainingRegister(APIView):
    """Register the calling user for a training they can see."""

    @extend_schema(request=None, responses={201: TrainingSerializer})
    def post(self, request: Request, pk: int) -> Response:
        training = get_training_for_user(request.user, pk)  # type: ignore[arg-type]
        try:
            training_services.register_user(actor=Actor.from_request(request), training=training, user=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            raise ApiValidationError({"detail": error.messages}) from error
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)


class YearFigures(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Calendar year; the current year by default")],
        responses=YearFiguresSerializer,
    )
    def get(self, request: Request) -> Response:
        if not can(request.user, Capability.MANAGE_ASSOCIATION):  # type: ignore[arg-type]
            raise PermissionDenied
        year = selected_year(request.query_params.get("year"))
        figures = year_figures(trainings_managed_by(request.user), year)  # type: ignore[arg-type]
        data: dict[str, Any] = YearFiguresSerializer(
            {**figures.__dict__, "method": rule("training_satisfaction_method")}
        ).data
        record_event(request, action=Action.EXPORT, object_type="association.year_figures", object_id=str(year))
        return Response(data)


class Directory(generics.ListAPIView[Membership]):
    serializer_class = DirectoryEntrySerializer

    def get_queryset(self) -> QuerySet[Membership]:
        return member_directory(self.request.user).order_by("kind", "member_number")  # type: ignore[arg-type]


class FilingList(generics.ListAPIView[SupervisorFiling]):
    serializer_class = SupervisorFilingSerializer

    def get_queryset(self) -> QuerySet[SupervisorFiling]:
        return filings_visible_to(self.request.user).order_by("-submitted_at", "-pk")  # type: ignore[arg-type]


class FilingDetail(generics.RetrieveAPIView[SupervisorFiling]):
    serializer_class = SupervisorFilingSerializer

    def get_queryset(self) -> QuerySet[SupervisorFiling]:
        return filings_visible_to(self.request.user)  # type: ignore[arg-type]
