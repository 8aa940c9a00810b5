from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from zhengtu.accounts.roles import Capability
from zhengtu.workspace.registry import NavItem


class AuditConfig(AppConfig):
    name = "zhengtu.audit"
    verbose_name = _("Audit log")
    nav_items = [NavItem(_("Audit log"), "audit:list", Capability.VIEW_AUDIT, order=90)]

    def ready(self) -> None:
        from .sqlite_guard import register_function

        connection_created.connect(register_function, dispatch_uid="zhengtu.audit.sqlite_guard")
