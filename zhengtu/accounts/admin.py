"""Django admin (/system-admin/): for system administrators only, behind the two-factor login.

Everyday user management happens on the pages under /accounts/users/.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import User


def _superuser_verified(request: HttpRequest) -> bool:
    user = request.user
    verified = getattr(user, "is_verified", None)
    return bool(user.is_active and user.is_superuser and callable(verified) and verified())


def _login_through_our_page(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # The admin's own login form has no second factor: always go through /accounts/login/.
    if request.user.is_authenticated:
        # Logged in but not a (verified) system administrator: no loop back to the login page.
        raise PermissionDenied
    target = request.GET.get("next") or resolve_url("admin:index")
    return redirect(f"{resolve_url('accounts:login')}?{urlencode({'next': target})}")


admin.site.has_permission = _superuser_verified  # type: ignore[method-assign]
admin.site.login = _login_through_our_page  # type: ignore[method-assign,assignment]
admin.site.site_header = _("Zhengtu system administration")
admin.site.site_title = _("Zhengtu system administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "organisation", "is_active", "is_superuser", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "phone", "email")}),
        (_("Work"), {"fields": ("organisation", "role")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Work"), {"fields": ("full_name", "organisation", "role")}),
    )
