from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class DocumentsConfig(AppConfig):
    name = "zhengtu.documents"
    verbose_name = _("Documents")
    nav_items = [NavItem(_("Document templates"), "documents:templates", Capability.MANAGE_ORGANISATIONS, order=90)]
