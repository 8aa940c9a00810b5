from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class AssociationConfig(AppConfig):
    name = "zhengtu.association"
    verbose_name = pgettext_lazy("association", "Association")
    nav_items = [
        NavItem(
            pgettext_lazy("association", "Association"),
            "association:dashboard",
            Capability.MANAGE_ASSOCIATION,
            order=70,
        ),
        NavItem(
            pgettext_lazy("association", "Trainings"), "association:training-list", Capability.RECORD_SERVICES, order=72
        ),
        NavItem(
            pgettext_lazy("association", "Supervisor filings"),
            "association:filing-list",
            Capability.RECORD_SERVICES,
            order=73,
        ),
    ]
    task_provider = "zhengtu.association.tasks:tasks_for"
