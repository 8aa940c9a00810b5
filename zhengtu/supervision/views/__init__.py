"""Pages of the supervision workflow, one module per topic."""

from .absconding import search
from .approvals import (
    approval,
    approval_withdraw,
    approvals,
    file_request,
    leave,
    leave_return,
    monitoring,
    monitoring_extend,
    sanction,
    transfer,
)
from .archives import archive, archive_export, archive_export_result
from .closure import release, terminate
from .daily import attachment, check_in, visit
from .file import dashboard, documents_received, intake, level, plan, supervision_file, team, team_remove

__all__ = [
    "approval",
    "approval_withdraw",
    "approvals",
    "archive",
    "archive_export",
    "archive_export_result",
    "attachment",
    "check_in",
    "dashboard",
    "documents_received",
    "file_request",
    "intake",
    "leave",
    "leave_return",
    "level",
    "monitoring",
    "monitoring_extend",
    "plan",
    "release",
    "sanction",
    "search",
    "supervision_file",
    "team",
    "team_remove",
    "terminate",
    "transfer",
    "visit",
]
