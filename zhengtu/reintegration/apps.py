from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class ReintegrationConfig(AppConfig):
    name = "zhengtu.reintegration"
    verbose_name = _("Help with returning to society")
    nav_items = [
        NavItem(_("Help with returning to society"), "reintegration:list", Capability.VIEW_REINTEGRATION, order=66),
    ]
    task_provider = "zhengtu.reintegration.tasks:tasks_for"
    statistics_sources = "zhengtu.reintegration.statistics:sources"
    # Panels other apps' pages show for one person (workspace.registry.supervisee_panels).
    supervisee_panels = {
        "detail": "zhengtu.reintegration.panels:detail_panel",
        "plan": "zhengtu.reintegration.panels:plan_panel",
    }
