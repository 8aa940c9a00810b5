from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class ProjectsConfig(AppConfig):
    name = "zhengtu.projects"
    verbose_name = _("Purchased-service projects")
    nav_items = [NavItem(_("Projects"), "projects:list", Capability.VIEW_SUPERVISEES, order=55)]
    task_provider = "zhengtu.projects.tasks:tasks_for"

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_indicator_counting

        checks.register(check_indicator_counting)
