from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class OrgsConfig(AppConfig):
    name = "zhengtu.orgs"
    verbose_name = _("Organisations")
    nav_items = [NavItem(_("Organisations"), "orgs:tree", Capability.MANAGE_ORGANISATIONS, order=92)]
