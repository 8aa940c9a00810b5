from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class ServicesConfig(AppConfig):
    name = "zhengtu.services"
    verbose_name = _("Social-work services")
    nav_items = [
        NavItem(_("Service ledger"), "services:ledger", Capability.RECORD_SERVICES, order=50),
        NavItem(_("Monthly hours"), "services:hours", Capability.VIEW_SUPERVISEES, order=51),
    ]
    task_provider = "zhengtu.services.tasks:tasks_for"
    # Counts for project KPIs (projects.indicators): education sessions, screenings, visits, ...
    indicator_sources = "zhengtu.services.indicators:indicator_sources"
