from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class WorkdaysConfig(AppConfig):
    name = "zhengtu.workdays"
    verbose_name = _("Working-day calendar")
    nav_items = [NavItem(_("Working-day calendar"), "workdays:calendar", Capability.MANAGE_ORGANISATIONS, order=91)]
