from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem

from .tabs import AppTab


class SelfServiceConfig(AppConfig):
    name = "zhengtu.selfservice"
    verbose_name = _("Supervisee app")
    # The supervisee's bottom tab bar (other apps add theirs the same way, e.g. learning).
    app_tabs = [
        AppTab(_("Home"), "selfservice:home", "⌂", order=10, section=""),
        AppTab(_("Check in"), "selfservice:checkin", "◉", order=20, section="checkin"),
        AppTab(_("Thought reports"), "selfservice:reports", "✎", order=30, section="reports"),
        AppTab(_("Requests"), "selfservice:requests", "☰", order=40, section="requests"),
        AppTab(_("Service"), "selfservice:activities", "♡", order=50, section="activities"),
        AppTab(_("Messages"), "selfservice:messages", "✉", order=60, section="messages"),
    ]
    nav_items = [NavItem(_("Supervisee app"), "appstaff:overview", Capability.VIEW_SUPERVISEES, order=46)]
    task_provider = "zhengtu.selfservice.staff_tasks:tasks_for"
