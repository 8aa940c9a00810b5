"""Staff pages serving face photos: only through a scoped lookup, every read audited."""

from __future__ import annotations

from django.http import FileResponse
from django.views.decorators.http import require_GET

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.accounts.roles import Capability
from zhengtu.core.private_files import private_file_response
from zhengtu.supervisees.permissions import capability_required
from zhengtu.supervisees.selectors import get_supervisee_for_user

from .selectors import get_face_check_for_user


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def check_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The photo a phone took for one face check."""
    check = get_face_check_for_user(request.user, pk)
    return private_file_response(request, check.photo, audit_target=check, what="face_check_photo")


@capability_required(Capability.VIEW_SUPERVISEES)
@require_GET
def registry_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The registry photo, for showing beside a face check (audited, unlike the registry's own thumbnail)."""
    supervisee = get_supervisee_for_user(request.user, pk)
    return private_file_response(request, supervisee.photo, audit_target=supervisee, what="registry_photo")
