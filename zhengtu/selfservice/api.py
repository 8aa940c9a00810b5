"""/api/v1/app/: the supervisee's own API (Bearer token from /api/v1/auth/token/ with their password).

Every endpoint works on the person the token belongs to; no URL names another person, so a token can never read
someone else's data. POSTs honour an `Idempotency-Key` header exactly as the web app does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Supervisee
from zhengtu.workspace.models import Notification

from . import idempotency
from .access import supervisee_of
from .home import home_summary
from .models import ActivitySignup, AppCheckIn, AppRequest, Message, WrittenReport
from .request_kinds import request_kinds
from .selectors import own_check_ins, own_messages, own_reports
from .services.activities import activities_for, sign_up
from .services.checkin import issue_challenge, submit_check_in
from .services.common import read_upload
from .services.messages import mark_read, send_message
from .services.notifications import subscribe
from .services.reports import submit_report
from .services.requests import submit_app_request
from .views.checkin import describe


class IsSupervisee(BasePermission):
    message = _("This API is for supervisees with an app account.")

    def has_permission(self, request: Request, view: Any) -> bool:
        person = supervisee_of(request.user)
        if person is None:
            return False
        request.supervisee = person  # type: ignore[attr-defined]
        return True


class AppAPIView(APIView):
    permission_classes = [IsSupervisee]

    def person(self, request: Request) -> Supervisee:
        return request.supervisee  # type: ignore[attr-defined,no-any-return]

    def once(self, request: Request, action: Callable[[], Response]) -> Response:
        """Run a POST at most once per Idempotency-Key (the same receipts as the web app's outbox)."""
        key = str(request.headers.get(idempotency.HEADER) or "").strip()
        if not key:
            return action()
        if not idempotency.KEY_PATTERN.match(key):
            raise ValidationError({"Idempotency-Key": [_("The request carries an invalid idempotency key.")]})
        receipt, kept = idempotency.reserve(user_id=int(request.user.pk or 0), key=key, path=request.path)
        if kept is not None:
            body = getattr(kept, "content", b"{}")
            return Response(json.loads(body or b"{}"), status=kept.status_code, headers={"Idempotent-Replay": "true"})
        try:
            response = action()
        except Exception:
            receipt.delete()
            raise
        if response.status_code >= 400:
            receipt.delete()
        else:
            receipt.status_code = response.status_code
            receipt.body = json.loads(json.dumps(response.data or {}, cls=DjangoJSONEncoder))
            receipt.save(update_fields=["status_code", "body"])
        return response


def _check_in_data(item: AppCheckIn) -> dict[str, Any]:
    return {**describe(item), "latitude": item.latitude, "longitude": item.longitude, "accuracy_m": item.accuracy_m}


CHECK_IN = inline_serializer(
    "AppCheckIn",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
        "flags": serializers.ListField(child=serializers.CharField()),
        "flag_labels": serializers.ListField(child=serializers.CharField()),
        "similarity": serializers.FloatField(allow_null=True),
        "received_at": serializers.DateTimeField(),
        "message": serializers.CharField(),
        "latitude": serializers.FloatField(),
        "longitude": serializers.FloatField(),
        "accuracy_m": serializers.FloatField(),
    },
)


class HomeView(AppAPIView):
    @extend_schema(summary="What is due for the person", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(home_summary(self.person(request)).as_data())


class ChallengeView(AppAPIView):
    @extend_schema(
        summary="A one-time code to send with the next check-in",
        request=None,
        responses={
            200: inline_serializer(
                "AppChallenge", {"nonce": serializers.CharField(), "issued_at": serializers.DateTimeField()}
            )
        },
    )
    def post(self, request: Request) -> Response:
        challenge = issue_challenge(actor=Actor.from_request(request), supervisee=self.person(request))
        return Response({"nonce": challenge.nonce, "issued_at": challenge.issued_at})


class CheckInsView(AppAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="The person's app check-ins", responses={200: CHECK_IN})
    def get(self, request: Request) -> Response:
        return Response([_check_in_data(item) for item in own_check_ins(self.person(request))[:50]])

    @extend_schema(
        summary="Check in: live photo, position and the challenge's code",
        request=inline_serializer(
            "AppCheckInSubmission",
            {
                "nonce": serializers.CharField(),
                "photo": serializers.ImageField(),
                "latitude": serializers.FloatField(),
                "longitude": serializers.FloatField(),
                "accuracy": serializers.FloatField(),
                "position_time": serializers.DateTimeField(required=False),
            },
        ),
        responses={201: CHECK_IN},
    )
    def post(self, request: Request) -> Response:
        def action() -> Response:
            fields = _CheckInInput(data=request.data)
            fields.is_valid(raise_exception=True)
            data = fields.validated_data
            item = submit_check_in(
                actor=Actor.from_request(request),
                supervisee=self.person(request),
                nonce=data["nonce"],
                photo=read_upload(data["photo"], what=_("The photo")),
                latitude=data["latitude"],
                longitude=data["longitude"],
                accuracy_m=data["accuracy"],
                position_at=data.get("position_time"),
            )
            return Response(_check_in_data(item), status=201)

        return self.once(request, action)


class _CheckInInput(serializers.Serializer[Any]):
    nonce = serializers.CharField(max_length=64)
    photo = serializers.FileField()
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    accuracy = serializers.FloatField(min_value=0)
    position_time = serializers.DateTimeField(required=False)


class ReportsView(AppAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="The person's written reports", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response([_report_data(item) for item in own_reports(self.person(request))[:50]])

    @extend_schema(
        summary="Send a written report (text, photos, a voice note)",
        request=inline_serializer(
            "AppReportSubmission",
            {
                "text": serializers.CharField(required=False),
                "photos": serializers.ListField(child=serializers.ImageField(), required=False),
                "voice": serializers.FileField(required=False),
                "voice_seconds": serializers.IntegerField(required=False),
            },
        ),
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        def action() -> Response:
            seconds = str(request.data.get("voice_seconds", ""))
            report = submit_report(
                actor=Actor.from_request(request),
                supervisee=self.person(request),
                text=str(request.data.get("text", "")),
                photos=request.FILES.getlist("photos"),
                voice=request.FILES.get("voice"),
                voice_seconds=int(seconds) if seconds.isdigit() else None,
            )
            return Response(_report_data(report), status=201)

        return self.once(request, action)


def _report_data(report: WrittenReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "text": report.text,
        "photos": report.photos.count(),
        "voice": bool(report.voice_note),
        "created_at": report.created_at,
    }


def _request_data(item: AppRequest) -> dict[str, Any]:
    steps = []
    if item.approval is not None:
        steps = [
            {"organisation": step.organisation.name, "status": step.status, "comment": step.comment}
            for step in item.approval.steps.select_related("organisation").order_by("order")
        ]
    return {
        "id": item.pk,
        "kind": item.kind,
        "summary": item.summary,
        "status": item.status,
        "approval_status": item.approval.status if item.approval else None,
        "note": item.note,
        "steps": steps,
        "created_at": item.created_at,
    }


class RequestsView(AppAPIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(summary="The person's requests and each step's decision", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        items = AppRequest.objects.filter(supervisee=self.person(request)).select_related("approval")[:50]
        return Response(
            {
                "kinds": [{"kind": spec.kind, "label": spec.label} for spec in request_kinds().values()],
                "requests": [_request_data(item) for item in items],
            }
        )

    @extend_schema(
        summary="File a request of one of the offered kinds",
        request=inline_serializer(
            "AppRequestSubmission", {"kind": serializers.CharField(), "data": serializers.DictField()}
        ),
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        def action() -> Response:
            data = request.data.get("data")
            if not isinstance(data, dict):
                raise ValidationError({"data": [_("Give the request's fields as an object.")]})
            item = submit_app_request(
                actor=Actor.from_request(request),
                supervisee=self.person(request),
                kind=str(request.data.get("kind", "")),
                data={key: str(value) for key, value in data.items()},
            )
            return Response(_request_data(item), status=201)

        return self.once(request, action)


def _message_data(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "from_me": message.from_supervisee,
        "author": message.author.display_name if message.author and not message.from_supervisee else "",
        "body": message.body,
        "sent_at": message.sent_at,
    }


class MessagesView(AppAPIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="The person's thread with their officer and social worker", responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request: Request) -> Response:
        thread = own_messages(self.person(request))
        mark_read(reader=request.user, messages=thread)  # type: ignore[arg-type]
        return Response([_message_data(m) for m in thread.order_by("-sent_at")[:100]])

    @extend_schema(
        summary="Write to the officer and social worker",
        request=inline_serializer("AppMessageSubmission", {"body": serializers.CharField()}),
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        def action() -> Response:
            try:
                message = send_message(
                    actor=Actor.from_request(request),
                    supervisee=self.person(request),
                    body=str(request.data.get("body", "")),
                )
            except DjangoPermissionDenied as error:
                raise PermissionDenied(str(error)) from error
            return Response(_message_data(message), status=201)

        return self.once(request, action)


class NotificationsView(AppAPIView):
    @extend_schema(summary="The person's in-app notifications", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        items = Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at")[:50]
        return Response(
            [
                {
                    "id": n.pk,
                    "title": n.title,
                    "body": n.body,
                    "url": n.url,
                    "read": n.read_at is not None,
                    "created_at": n.created_at,
                }
                for n in items
            ]
        )


class PushSubscriptionView(AppAPIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Register this browser for Web Push (the PushSubscription's JSON)",
        request=inline_serializer(
            "AppPushSubscription",
            {"endpoint": serializers.URLField(), "keys": serializers.DictField(child=serializers.CharField())},
        ),
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        keys = request.data.get("keys") or {}
        if not isinstance(keys, dict):
            raise NotFound
        subscribe(
            user=request.user,  # type: ignore[arg-type]
            endpoint=str(request.data.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
        )
        return Response({"ok": True}, status=201)


class ActivitiesView(AppAPIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Community-service activities open to the person, with their sign-up",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        person = self.person(request)
        signups = {s.activity_id: s for s in ActivitySignup.objects.filter(supervisee=person)}
        return Response(
            [
                {
                    "id": activity.pk,
                    "title": activity.title,
                    "place": activity.place,
                    "starts_at": activity.starts_at,
                    "ends_at": activity.ends_at,
                    "hours": str(activity.hours),
                    "signup_status": signups[activity.pk].status if activity.pk in signups else None,
                }
                for activity in activities_for(person)
            ]
        )

    @extend_schema(
        summary="Sign up for an activity",
        request=inline_serializer("AppActivitySignup", {"activity": serializers.IntegerField()}),
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        def action() -> Response:
            person = self.person(request)
            wanted = str(request.data.get("activity", ""))
            activity = next((a for a in activities_for(person) if str(a.pk) == wanted), None)
            if activity is None:
                raise NotFound
            signup = sign_up(actor=Actor.from_request(request), supervisee=person, activity=activity)
            return Response({"activity": activity.pk, "signup_status": signup.status}, status=201)

        return self.once(request, action)
