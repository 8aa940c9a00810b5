from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class SupervisionConfig(AppConfig):
    name = "zhengtu.supervision"
    verbose_name = _("Supervision")
    nav_items = [
        NavItem(_("Supervision"), "supervision:dashboard", Capability.VIEW_SUPERVISEES, order=20),
        NavItem(_("Approvals"), "supervision:approvals", Capability.SUPERVISE, order=21),
    ]
    task_provider = "zhengtu.supervision.selectors:my_tasks"
    document_kinds = "zhengtu.supervision.documents:DOCUMENT_KINDS"
    # Counts for project KPIs (projects.indicators).
    indicator_sources = "zhengtu.supervision.indicators:indicator_sources"
