"""/api/v1/exchange/: one endpoint per message type (POST imports, GET exports), and the schemas."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.accounts.roles import Capability
from zhengtu.audit.services import Actor
from zhengtu.core.access import require_capability
from zhengtu.core.lookups import get_or_404
from zhengtu.investigations.selectors import get_investigation_for_user
from zhengtu.orgs.selectors import organisations_visible_to
from zhengtu.supervision.models import Sanction
from zhengtu.supervision.selectors import get_supervisee_for_user, supervisees_visible_to

from . import services
from .schemas import BODIES, schema_for


def _actor(request: Request) -> Actor:
    return Actor.from_request(request)


class SchemaView(APIView):
    @extend_schema(summary="JSON Schema of one exchange message type", responses={200: dict})
    def get(self, request: Request, message_type: str) -> Response:
        if message_type not in BODIES:
            raise Http404
        return Response(schema_for(message_type))


class ImportView(APIView):
    """POST a message (JSON body, or a file in the form field "file"); 201, or 400 with every problem."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        parameters=[OpenApiParameter("office", int, description="Justice office for intake documents")],
        request=dict,
        responses={201: dict, 400: dict},
    )
    def post(self, request: Request, message_type: str) -> Response:
        require_capability(request.user, Capability.IMPORT_SUPERVISEES)
        if message_type not in services.IMPORTS:
            raise Http404
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        content: Any = upload.read() if upload is not None else request.data
        office = None
        if request.query_params.get("office"):
            office = get_or_404(
                organisations_visible_to(request.user),  # type: ignore[arg-type]
                request.query_params["office"],
            )
        if isinstance(content, dict) and content.get("message_type") not in (None, message_type):
            return Response(
                {"errors": [f"报文类型“{content.get('message_type')}”与地址“{message_type}”不符。"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            imported = services.import_message(actor=_actor(request), content=content, office=office)
        except services.ExchangeError as error:
            return Response({"errors": error.problems}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"message_type": imported.message_type, "id": imported.target.pk}, status=status.HTTP_201_CREATED
        )


class InvestigationResultView(APIView):
    @extend_schema(summary="调查评估意见 as an exchange message", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        require_capability(request.user, Capability.SUPERVISE)
        investigation = get_investigation_for_user(request.user, pk)  # type: ignore[arg-type]
        return Response(services.export_investigation_result(actor=_actor(request), investigation=investigation))


class IntakeNoticeView(APIView):
    @extend_schema(summary="入矫通知 as an exchange message", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        require_capability(request.user, Capability.EXPORT_SUPERVISEES)
        supervisee = get_supervisee_for_user(request.user, pk)  # type: ignore[arg-type]
        return Response(services.export_intake_notice(actor=_actor(request), supervisee=supervisee))


class ReleaseNoticeView(APIView):
    @extend_schema(summary="解除（终止）矫正通知 as an exchange message", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        require_capability(request.user, Capability.EXPORT_SUPERVISEES)
        supervisee = get_supervisee_for_user(request.user, pk)  # type: ignore[arg-type]
        return Response(services.export_release_notice(actor=_actor(request), supervisee=supervisee))


class SanctionRequestView(APIView):
    @extend_schema(summary="提请 as an exchange message", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        require_capability(request.user, Capability.EXPORT_SUPERVISEES)
        visible = supervisees_visible_to(request.user).values("pk")  # type: ignore[arg-type]
        sanction = get_or_404(
            Sanction.objects.select_related("supervisee", "approval").filter(supervisee__in=visible), pk
        )
        return Response(services.export_sanction_request(actor=_actor(request), sanction=sanction))
