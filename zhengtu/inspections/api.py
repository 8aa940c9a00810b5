"""REST endpoints of inspections (/api/v1/inspections/...). Objects come through the scoped selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.audit.services import Actor

from .models import InspectionRound, RectificationItem, Scoresheet
from .reports import round_figures, round_scores
from .scoring import panel_score
from .selectors import (
    access_to,
    get_inspection_for_user,
    get_inspection_to_score,
    get_managed_round,
    own_scoresheet,
    rectifications_visible_to,
    rounds_visible_to,
)
from .serializers import (
    FindingSerializer,
    InspectionSerializer,
    PanelScoreSerializer,
    RectificationSerializer,
    RoundFiguresSerializer,
    RoundSerializer,
    ScoresheetInputSerializer,
    ScoresheetOutputSerializer,
)
from .services.scoresheets import save_scoresheet


class RoundList(generics.ListAPIView[InspectionRound]):
    serializer_class = RoundSerializer

    def get_queryset(self) -> QuerySet[InspectionRound]:
        return rounds_visible_to(self.request.user).order_by("-starts_on", "-pk")  # type: ignore[arg-type]


class RoundFigures(APIView):
    """Figures of a round the caller's association runs: projects inspected, average score, ..."""

    @extend_schema(responses=RoundFiguresSerializer)
    def get(self, request: Request, pk: int) -> Response:
        inspection_round = get_managed_round(request.user, pk)  # type: ignore[arg-type]
        return Response(RoundFiguresSerializer(round_figures(round_scores(inspection_round))).data)


class InspectionDetail(APIView):
    @extend_schema(
        responses=inline_serializer(
            "InspectionDetail",
            {
                "inspection": InspectionSerializer(),
                "panel_score": PanelScoreSerializer(allow_null=True),
                "findings": FindingSerializer(many=True),
                "rectifications": RectificationSerializer(many=True),
            },
        )
    )
    def get(self, request: Request, pk: int) -> Response:
        inspection = get_inspection_for_user(request.user, pk)  # type: ignore[arg-type]
        access = access_to(request.user, inspection)  # type: ignore[arg-type]
        score = panel_score(inspection) if access.sees_panel_score else None
        data: dict[str, Any] = {
            "inspection": InspectionSerializer(inspection).data,
            "panel_score": PanelScoreSerializer(score).data if score else None,
            "findings": FindingSerializer(inspection.findings.select_related("section"), many=True).data,
            "rectifications": RectificationSerializer(inspection.rectifications.all(), many=True).data,
        }
        return Response(data)


def _sheet_data(inspection_pk: int, sheet: Scoresheet | None) -> dict[str, Any]:
    if sheet is None:
        return {"inspection": inspection_pk, "submitted_at": None, "comment": "", "scores": []}
    return {
        "inspection": inspection_pk,
        "submitted_at": sheet.submitted_at,
        "comment": sheet.comment,
        "scores": [{"indicator": s.indicator_id, "points": s.points, "note": s.note} for s in sheet.scores.all()],
    }


class OwnScoresheet(APIView):
    """The calling expert's own scoresheet for a project on their panel."""

    @extend_schema(responses=ScoresheetOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        inspection, expert = get_inspection_to_score(request.user, pk)  # type: ignore[arg-type]
        return Response(ScoresheetOutputSerializer(_sheet_data(inspection.pk, own_scoresheet(inspection, expert))).data)

    @extend_schema(request=ScoresheetInputSerializer, responses=ScoresheetOutputSerializer)
    def put(self, request: Request, pk: int) -> Response:
        inspection, expert = get_inspection_to_score(request.user, pk)  # type: ignore[arg-type]
        payload = ScoresheetInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        sheet = save_scoresheet(
            actor=Actor.from_request(request),
            inspection=inspection,
            expert=expert,
            points={row["indicator"]: row["points"] for row in data["scores"]},
            notes={row["indicator"]: row.get("note", "") for row in data["scores"]},
            comment=data["comment"],
            submit=data["submit"],
        )
        return Response(ScoresheetOutputSerializer(_sheet_data(inspection.pk, sheet)).data)


class RectificationList(generics.ListAPIView[RectificationItem]):
    serializer_class = RectificationSerializer

    def get_queryset(self) -> QuerySet[RectificationItem]:
        return rectifications_visible_to(self.request.user).order_by("status", "due_on", "pk")  # type: ignore[arg-type]
