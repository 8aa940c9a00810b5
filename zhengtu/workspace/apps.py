from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .registry import NavItem


class WorkspaceConfig(AppConfig):
    name = "zhengtu.workspace"
    verbose_name = _("Workspace")
    nav_items = [
        NavItem(_("Home"), "workspace:home", None, order=0),
        NavItem(_("My tasks"), "workspace:tasks", None, order=1),
    ]
    embedded_companions = ["zhengtu.workspace.jobs:run_embedded_consumer"]
