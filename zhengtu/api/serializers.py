from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import ApiToken


class TokenRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(label=_("Password"), max_length=128, trim_whitespace=False)
    otp_token = serializers.CharField(
        label=_("One-time code"),
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The current 6-digit code of the authenticator app (staff only)."),
    )
    name = serializers.CharField(
        label=_("Token name"),
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What the token is for, e.g. the script that uses it."),
    )


class IssuedTokenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(help_text=_("Send as `Authorization: Bearer <token>`. Shown only once."))
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()
