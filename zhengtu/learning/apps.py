from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.roles import Capability
from zhengtu.selfservice.tabs import AppTab
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
    # The supervisee app: a "study" tab and a card of courses due on its home page.
    app_tabs = [AppTab(pgettext_lazy("phone", "Study"), "learning_app:home", "📖", order=30, section="learning")]
    app_home_cards = "zhengtu.learning.views.phone:home_cards"
    # Project KPIs: online courses completed by people supervised under the buying bureau.
    indicator_sources = "zhengtu.learning.indicators:indicator_sources"
    # Command centre statistics: hours of online study, drillable to the study sessions.
    statistics_sources = "zhengtu.learning.statistics:sources"

    def ready(self) -> None:
        from zhengtu.core.synclane import run_in_one_thread

        from . import receivers  # noqa: F401  (a deleted ledger record of a group session)

        # 2,000 people studying send 133 heartbeats a second: they run through the same middleware and view in one
        # thread instead of Django's per-request thread and six hops (zhengtu/core/synclane.py).
        run_in_one_thread(r"/api/v1/learning/sessions/\d+/heartbeat/$")
