"""Pages of the supervision workflow, one module per topic."""

from .absconding import search
from .appraisals import appraisal_apply_level, appraisals, plan_reviews
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
from .decisions import sanction_decision
from .file import dashboard, documents_received, intake, level, plan, supervision_file, team, team_remove

__all__ = [
    "appraisal_apply_level",
    "appraisals",
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
    "plan_reviews",
    "release",
    "sanction",
    "sanction_decision",
    "search",
    "supervision_file",
    "team",
    "team_remove",
    "terminate",
    "transfer",
    "visit",
]
