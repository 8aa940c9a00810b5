from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class CommandConfig(AppConfig):
    name = "zhengtu.command"
    verbose_name = _("Command centre and statistics")
    nav_items = [
        NavItem(_("Statistics"), "command:statistics", Capability.VIEW_STATISTICS, order=80),
        NavItem(_("Command wall"), "command:wall", Capability.MONITOR, order=81),
    ]
    # The figures of the apps that existed before the command centre; see README.md for how an app
    # declares its own.
    statistics_sources = "zhengtu.command.sources:sources"
    # The workspace home asks this for the role's dashboard.
    home_dashboard = "zhengtu.command.dashboards:home_dashboard"
