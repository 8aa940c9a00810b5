from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class AssessmentConfig(AppConfig):
    name = "zhengtu.assessment"
    verbose_name = _("Assessment")
    nav_items = [
        NavItem(_("Assessments"), "assessment:index", Capability.ASSESS, order=30),
        NavItem(_("Report deadlines"), "assessment:deadlines", Capability.VIEW_STATISTICS, order=31),
        NavItem(_("My results"), "assessment:mine", Capability.SELF_SERVICE, order=30),
    ]
    task_provider = "zhengtu.assessment.tasks:tasks_for"
    # Counts for project KPIs (projects.indicators).
    indicator_sources = "zhengtu.assessment.indicators:indicator_sources"
