from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhengtu.workspace.registry import NavItem

from .roles import Capability


class AccountsConfig(AppConfig):
    name = "zhengtu.accounts"
    verbose_name = _("Accounts")
    nav_items = [
        NavItem(_("Users"), "accounts:user_list", Capability.MANAGE_USERS, order=94),
        NavItem(_("My account"), "accounts:account", None, order=99),
    ]

    def ready(self) -> None:
        from . import signals  # noqa: F401
