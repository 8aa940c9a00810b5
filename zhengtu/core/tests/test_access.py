"""core.access: the one way a view refuses a user, and the rule the sidebar reads back from the view."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from zhengtu.accounts.roles import Capability, Role
from zhengtu.core.access import access_rule, capability_required, page_allows, require_capability, require_rule


def _user(role: str) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=False, role=role)


def test_capability_required_refuses_the_role_without_it_and_tells_the_menu():
    @capability_required(Capability.MANAGE_USERS)
    def page(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = _user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        page(request)
    assert page_allows(page, _user(Role.SOCIAL_WORKER)) is False


def test_a_rule_of_several_capabilities_is_read_back_through_other_decorators():
    def either(user) -> bool:
        return user.role in (Role.OFFICE_OFFICER, Role.BUREAU_ADMIN)

    def outer(view):
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.__wrapped__ = view
        return wrapper

    page = outer(access_rule(either)(lambda request: HttpResponse("ok")))
    assert page_allows(page, _user(Role.OFFICE_OFFICER)) is True
    assert page_allows(page, _user(Role.SOCIAL_WORKER)) is False
    assert page_allows(lambda request: None, _user(Role.OFFICE_OFFICER)) is None


def test_checks_inside_a_view_body():
    require_rule(_user(Role.OFFICE_OFFICER), lambda user: True)
    with pytest.raises(PermissionDenied):
        require_rule(_user(Role.OFFICE_OFFICER), lambda user: False)
    with pytest.raises(PermissionDenied):
        require_capability(_user(Role.SOCIAL_WORKER), Capability.MANAGE_USERS)


def test_a_service_refuses_a_call_without_a_user_or_without_the_capability():
    from zhengtu.core.access import acting_user

    officer = _user(Role.OFFICE_OFFICER)
    assert acting_user(SimpleNamespace(user=officer), Capability.VIEW_SUPERVISEES) is officer
    with pytest.raises(PermissionDenied):
        acting_user(SimpleNamespace(user=None), Capability.VIEW_SUPERVISEES)  # a command without a person
    with pytest.raises(PermissionDenied, match="不可以"):
        acting_user(SimpleNamespace(user=_user(Role.SOCIAL_WORKER)), Capability.MANAGE_USERS, refusal="不可以")
    with pytest.raises(PermissionDenied):
        acting_user(SimpleNamespace(user=officer), allows=lambda user: False)
