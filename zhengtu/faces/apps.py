from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacesConfig(AppConfig):
    name = "zhengtu.faces"
    verbose_name = _("Face checks")
