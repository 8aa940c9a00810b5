from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuperviseesConfig(AppConfig):
    name = "zhengtu.supervisees"
    verbose_name = _("Supervisees")
