"""Files of sensitive personal data (face photos, voice notes, positions on a photo): kept outside the media root,
never given a URL, served only by views that first fetched their owner through a scoped selector.

`private_storage` is the storage for such FileFields (`storage=private_storage`, a callable so migrations do not
freeze a path); `private_file_response` is the one way a view sends such a file: it audits the read and forbids
caching and sniffing.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event


@deconstructible(path="zhengtu.core.private_files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file-system storage rooted at settings.ZHENGTU_PRIVATE_ROOT, with no URL at all."""

    @cached_property
    def base_location(self) -> Any:
        return self._value_or_setting(self._location, settings.ZHENGTU_PRIVATE_ROOT)  # type: ignore[attr-defined]

    def url(self, name: str | None) -> str:
        # A URL would be a way around the scoped views; code that asks for one is a mistake.
        raise ValueError("private files have no URL; serve them through a scoped view")

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "ZHENGTU_PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage for FileFields of personal data (pass the function itself as `storage=`)."""
    return _storage


def private_file_response(
    request: Any,
    file: FieldFile,
    *,
    audit_target: Any,
    what: str,
    detail: dict[str, Any] | None = None,
    content_type: str | None = None,
) -> FileResponse:
    """Send a private file inline, after writing who read it (`what` names the file in the audit entry).

    The caller has already fetched `audit_target` through a scoped selector (404 outside scope).
    """
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    record_event(request, action=Action.VIEW, target=audit_target, detail={"file": what, **(detail or {})})
    content_type = content_type or mimetypes.guess_type(PurePath(file.name or "").name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
