from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class MonitoringConfig(AppConfig):
    name = "zhengtu.monitoring"
    verbose_name = _("Electronic monitoring")
    nav_items = [
        NavItem(_("Monitoring map"), "monitoring:map", Capability.VIEW_SUPERVISEES, order=40),
        NavItem(_("Monitoring alerts"), "monitoring:alerts", Capability.VIEW_SUPERVISEES, order=41),
        NavItem(_("Devices"), "monitoring:devices", Capability.MONITOR, order=42),
        NavItem(_("Electronic fences"), "monitoring:fences", Capability.MONITOR, order=43),
    ]
    task_provider = "zhengtu.monitoring.workspace:tasks_for"
    embedded_companions = ["zhengtu.monitoring.gateway.embedded:run"]
    # Counts for project KPIs (projects.indicators).
    indicator_sources = "zhengtu.monitoring.indicators:indicator_sources"

    def ready(self) -> None:
        from . import (
            device_feed,  # noqa: F401 - scaled shape: device changes pushed to the gateways
            tasks,  # noqa: F401 - registers the periodic jobs with Huey in every process
        )
