from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .tabs import AppTab


class SelfServiceConfig(AppConfig):
    name = "zhengtu.selfservice"
    verbose_name = _("Supervisee app")
    app_tabs = [
        AppTab(_("Home"), "selfservice:home", "⌂", order=10, section=""),
    ]
