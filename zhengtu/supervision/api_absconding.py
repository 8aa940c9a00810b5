"""/api/v1/supervision/ searches (找寻) for a person out of contact: open, add a step, notify police, close."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event

from . import selectors
from . import serializers as s
from .api import _input, _supervisee
from .models import SearchRecord
from .services import absconding


def _search(request: Request, pk: int) -> SearchRecord:
    if not can(request.user, Capability.VIEW_SUPERVISEES):  # type: ignore[arg-type]
        raise PermissionDenied
    return selectors.get_search_for_user(request.user, pk)  # type: ignore[arg-type]


def _shown(record: SearchRecord) -> dict[str, Any]:
    data: dict[str, Any] = dict(s.SearchRecordSerializer(record).data)
    data["alerts"] = [str(alert) for alert in absconding.search_alerts(record)]
    data["opened_automatically"] = record.opened_by_id is None
    return data


class SuperviseeSearchesView(APIView):
    @extend_schema(responses=s.SearchRecordSerializer(many=True), summary="Searches for one supervisee")
    def get(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        record_event(Actor.from_request(request), action=Action.VIEW, target=supervisee, detail={"api": "searches"})
        return Response([_shown(record) for record in selectors.searches_of(supervisee)[:50]])

    @extend_schema(request=s.SearchOpenInputSerializer, responses={201: s.SearchRecordSerializer})
    def post(self, request: Request, pk: int) -> Response:
        supervisee = _supervisee(request, pk)
        data = _input(s.SearchOpenInputSerializer, request)
        record = absconding.open_search(actor=Actor.from_request(request), supervisee=supervisee, **data)
        return Response(_shown(record), status=status.HTTP_201_CREATED)


class SearchView(APIView):
    @extend_schema(responses=s.SearchRecordSerializer, summary="One search")
    def get(self, request: Request, pk: int) -> Response:
        record = _search(request, pk)
        record_event(Actor.from_request(request), action=Action.VIEW, target=record, detail={"api": True})
        return Response(_shown(record))


class SearchStepsView(APIView):
    @extend_schema(request=s.SearchStepInputSerializer, responses={201: s.SearchRecordSerializer})
    def post(self, request: Request, pk: int) -> Response:
        record = _search(request, pk)
        data = _input(s.SearchStepInputSerializer, request)
        absconding.record_search_step(actor=Actor.from_request(request), record=record, **data)
        return Response(_shown(record), status=status.HTTP_201_CREATED)


class SearchPoliceView(APIView):
    @extend_schema(request=s.PoliceNoticeInputSerializer, responses=s.SearchRecordSerializer)
    def post(self, request: Request, pk: int) -> Response:
        record = _search(request, pk)
        data = _input(s.PoliceNoticeInputSerializer, request)
        return Response(_shown(absconding.notify_police(actor=Actor.from_request(request), record=record, **data)))


class SearchCloseView(APIView):
    """Found, or closed with the next legal step (a sanction or proposal already filed for the person)."""

    @extend_schema(request=s.SearchCloseInputSerializer, responses=s.SearchRecordSerializer)
    def post(self, request: Request, pk: int) -> Response:
        record = _search(request, pk)
        data = _input(s.SearchCloseInputSerializer, request)
        next_step_pk = data.pop("next_step")
        next_step = None
        if next_step_pk is not None:
            next_step = selectors.get_sanction_for_user(request.user, next_step_pk)  # type: ignore[arg-type]
        closed = absconding.close_search(actor=Actor.from_request(request), record=record, next_step=next_step, **data)
        return Response(_shown(closed))
