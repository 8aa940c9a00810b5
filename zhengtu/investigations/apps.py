from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class InvestigationsConfig(AppConfig):
    name = "zhengtu.investigations"
    verbose_name = _("Pre-sentence investigations")
    nav_items = [NavItem(_("Investigations"), "investigations:list", Capability.SUPERVISE, order=22)]
    task_provider = "zhengtu.investigations.selectors:my_tasks"
    document_kinds = "zhengtu.investigations.documents:DOCUMENT_KINDS"
