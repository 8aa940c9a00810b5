from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class SuperviseesConfig(AppConfig):
    name = "zhengtu.supervisees"
    verbose_name = _("Supervisees")
    nav_items = [NavItem(_("Supervisees"), "supervisees:list", Capability.VIEW_SUPERVISEES, order=10)]
    task_provider = "zhengtu.supervisees.reminders:tasks_for"
