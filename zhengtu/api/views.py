"""Authentication endpoints of the API: obtain a token with username + password + TOTP, list, revoke."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from axes.utils import reset as reset_lockout
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from zhengtu.accounts.login import LoginFailure, check_login, lockout_minutes_remaining, login_failure_message
from zhengtu.audit.anonymous import record_unidentified_failure
from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, client_ip, record_event

from .models import ApiToken
from .selectors import get_token_for_user, tokens_of
from .serializers import ApiTokenSerializer, ErrorSerializer, IssuedTokenSerializer, TokenRequestSerializer
from .services import issue_token, revoke_token, token_requests_wait_seconds

UNAUTHORISED_HEADERS = {"WWW-Authenticate": 'Bearer realm="api"'}


@extend_schema(
    tags=["auth"],
    summary="Obtain an API token",
    description=(
        "Username and password, plus the current TOTP code for staff. Failures count toward the "
        "login lockout (5 failures lock the username from this address for 30 minutes; 20 from any addresses "
        "within an hour lock the account) and are audited. Requests are rate-limited per address and per "
        "username (429 with Retry-After)."
    ),
    request=TokenRequestSerializer,
    responses={
        200: IssuedTokenSerializer,
        400: ErrorSerializer,
        401: ErrorSerializer,
        403: ErrorSerializer,
        429: ErrorSerializer,
    },
    auth=[],
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request: Request) -> Response:
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    http_request = request._request
    wait = token_requests_wait_seconds(address=client_ip(request), username=data["username"])
    if wait:
        record_unidentified_failure(
            Actor(ip_address=client_ip(request), username=data["username"][:150]),
            kind="api_token_rate",
            outcome=Outcome.DENIED,
            detail={"method": "api_token", "reason": "rate_limited", "username_tried": data["username"][:150]},
        )
        return Response(
            {"detail": _("Too many token requests: try again in %(seconds)d seconds.") % {"seconds": wait}},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )
    check = check_login(http_request, username=data["username"], password=data["password"], otp_token=data["otp_token"])
    if check.failure == LoginFailure.ACCOUNT_LOCKED:
        return Response({"detail": login_failure_message(check)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if check.failure == LoginFailure.LOCKED_OUT:
        minutes = lockout_minutes_remaining(http_request, data["username"])
        return Response(
            {"detail": login_failure_message(check, minutes=minutes)}, status=status.HTTP_429_TOO_MANY_REQUESTS
        )
    if check.failure is not None:
        return Response({"detail": login_failure_message(check)}, status=401, headers=UNAUTHORISED_HEADERS)
    assert check.user is not None
    if check.needs_enrolment:
        record_event(
            Actor(user=check.user, ip_address=client_ip(request)),
            action=Action.LOGIN_FAILED,
            outcome=Outcome.DENIED,
            detail={"method": "api_token", "reason": "not_enrolled"},
        )
        return Response(
            {"detail": _("Staff must first set up two-factor login on the web page before using the API.")},
            status=status.HTTP_403_FORBIDDEN,
        )
    # As after a web login (AXES_RESET_ON_SUCCESS): earlier failures from this address are forgiven.
    if address := get_client_ip_address(http_request):
        reset_lockout(ip=address, username=check.user.get_username())
    issued = issue_token(
        actor=Actor(user=check.user, ip_address=client_ip(request)), user=check.user, name=data["name"]
    )
    return Response({"token": issued.raw, "expires_at": issued.token.expires_at})


@extend_schema(
    tags=["auth"],
    summary="Revoke the token used for this request",
    request=None,
    responses={204: None, 400: ErrorSerializer},
)
@api_view(["POST"])
def revoke_current_token(request: Request) -> Response:
    if not isinstance(request.auth, ApiToken):
        return Response(
            {"detail": _("This request was not made with an API token: there is nothing to revoke.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    revoke_token(actor=Actor.from_request(request), token=request.auth)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"], summary="My API tokens", responses={200: ApiTokenSerializer(many=True)})
@api_view(["GET"])
def token_list(request: Request) -> Response:
    tokens = tokens_of(request.user)  # type: ignore[arg-type]
    return Response(ApiTokenSerializer(tokens[:200], many=True).data)


@extend_schema(
    tags=["auth"],
    summary="Revoke one of my API tokens",
    responses={204: None, 404: OpenApiResponse(ErrorSerializer)},
)
@api_view(["DELETE"])
def token_revoke(request: Request, pk: int) -> Response:
    token = get_token_for_user(request.user, pk)  # type: ignore[arg-type]
    revoke_token(actor=Actor.from_request(request), token=token)
    return Response(status=status.HTTP_204_NO_CONTENT)
