from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class VolunteersConfig(AppConfig):
    name = "zhengtu.volunteers"
    verbose_name = _("Volunteers and professional development")
    nav_items = [
        NavItem(_("Volunteers"), "volunteers:list", Capability.MANAGE_VOLUNTEERS, order=76),
        NavItem(_("Professional development"), "volunteers:development", Capability.MANAGE_VOLUNTEERS, order=77),
        NavItem(_("Talent studios"), "volunteers:studios", Capability.MANAGE_VOLUNTEERS, order=78),
    ]
