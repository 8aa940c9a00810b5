"""Logging filters.

`ForbiddenWithoutTraceback`: Django logs every refused request (403, PermissionDenied) on
`django.request` with the full traceback of the exception, a screenful per refusal that buries
real errors and lets anyone who probes URLs grow the log quickly. A 403 is an expected outcome
(and the audit log records refusals that matter), so it is kept as one warning line.
"""

from __future__ import annotations

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
