"""/api/v1/volunteers/: the volunteer registry of the user's county (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied

from zhengtu.accounts.roles import Capability, can

from .models import Volunteer
from .selectors import volunteers_visible_to


class VolunteerSerializer(serializers.ModelSerializer[Volunteer]):
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Volunteer
        fields = ["id", "name", "phone_masked", "skills", "availability", "background_checked_on", "training_hours",
                  "organisation", "is_active"]  # fmt: skip
        read_only_fields = fields


class VolunteerList(generics.ListAPIView[Volunteer]):
    serializer_class = VolunteerSerializer

    def get_queryset(self) -> Any:
        if not can(self.request.user, Capability.MANAGE_VOLUNTEERS):  # type: ignore[arg-type]
            raise PermissionDenied(_("You may not read the volunteer registry."))
        return volunteers_visible_to(self.request.user).select_related("organisation")  # type: ignore[arg-type]
