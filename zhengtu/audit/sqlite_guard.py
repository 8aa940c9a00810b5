"""The append-only trigger on SQLite (migration 0004) asks this process whether a change is allowed.

SQLite has no transaction-local settings like PostgreSQL's `zhengtu.audit_purge`; instead the
trigger calls the SQL function `zhengtu_audit_change_allowed()`, which exists only on connections
opened by Zhengtu itself and answers "yes" only inside `changes_allowed()` (the retention purge).
Any other client (the sqlite3 shell, a script) has no such function, so its UPDATE or DELETE
fails. The test settings allow changes (ZHENGTU_AUDIT_SQLITE_ALLOW_CHANGES) so that the test
runner can empty tables between tests; the trigger's own test switches that off.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings

FUNCTION_NAME = "zhengtu_audit_change_allowed"

_state = threading.local()


@contextlib.contextmanager
def changes_allowed() -> Iterator[None]:
    previous = getattr(_state, "allowed", False)
    _state.allowed = True
    try:
        yield
    finally:
        _state.allowed = previous


def _change_allowed() -> int:
    if getattr(_state, "allowed", False):
        return 1
    return 1 if getattr(settings, "ZHENGTU_AUDIT_SQLITE_ALLOW_CHANGES", False) else 0


def register_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: give every SQLite connection of ours the function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION_NAME, 0, _change_allowed)
