from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class InspectionsConfig(AppConfig):
    name = "zhengtu.inspections"
    verbose_name = pgettext_lazy("inspections", "Supervision inspections")
    nav_items = [
        NavItem(
            pgettext_lazy("inspections", "Supervision inspections"),
            "inspections:round-list",
            Capability.INSPECT,
            order=68,
        ),
        NavItem(
            pgettext_lazy("inspections", "Inspection rectification"),
            "inspections:rectification-list",
            Capability.MANAGE_PROJECTS,
            order=69,
        ),
    ]
    task_provider = "zhengtu.inspections.tasks:tasks_for"
