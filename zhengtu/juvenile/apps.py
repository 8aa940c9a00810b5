from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class JuvenileConfig(AppConfig):
    name = "zhengtu.juvenile"
    verbose_name = _("Juvenile judicial social work")
    nav_items = [
        NavItem(_("Juvenile cases"), "juvenile:cases", Capability.VIEW_JUVENILE_CASES, order=70),
        NavItem(_("Refer a juvenile case"), "juvenile:refer", Capability.REFER_JUVENILES, order=71),
        NavItem(_("Received reports"), "juvenile:received", Capability.REFER_JUVENILES, order=72),
        NavItem(_("Appropriate adults"), "juvenile:roster", Capability.HANDLE_JUVENILE_CASES, order=73),
        NavItem(_("Sealed records"), "juvenile:sealed", Capability.VIEW_JUVENILE_CASES, order=74),
        NavItem(_("Supervision oversight"), "juvenile:oversight", Capability.OVERSEE_SUPERVISION, order=75),
    ]
    task_provider = "zhengtu.juvenile.tasks:tasks_for"
    document_kinds = "zhengtu.juvenile.documents:DOCUMENT_KINDS"
    # Supervisees whose juvenile case is sealed are left out of every statistic (command.figures).
    statistics_exclusions = "zhengtu.juvenile.selectors:sealed_supervisee_ids"
