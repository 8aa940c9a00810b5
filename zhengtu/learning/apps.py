from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class LearningConfig(AppConfig):
    name = "zhengtu.learning"
    verbose_name = _("Online education")
    nav_items = [
        NavItem(_("Courses"), "learning:courses", Capability.VIEW_SUPERVISEES, order=55),
        NavItem(_("Learning report"), "learning:report", Capability.VIEW_SUPERVISEES, order=56),
    ]
    task_provider = "zhengtu.learning.tasks:tasks_for"
    # Online study (and booked group sessions) count towards the services ledger's monthly study hours.
    service_hour_sources = "zhengtu.learning.hours:study_hours"
