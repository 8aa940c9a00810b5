"""The named role checks in roles.py: what each kind of account is, for the apps that used to compare roles."""

from types import SimpleNamespace

import pytest

from zhengtu.accounts.roles import (
    CASE_TEAM_ROLES,
    DashboardKind,
    Role,
    dashboard_of,
    has_personal_scope,
    is_active_staff,
    is_agency_manager,
    is_prosecutor,
    is_supervisee,
    may_be_expert,
    may_be_responsible_officer,
)


def _user(role: str, *, active: bool = True, superuser: bool = False) -> SimpleNamespace:
    return SimpleNamespace(role=role, is_authenticated=True, is_active=active, is_superuser=superuser)


def test_staff_and_supervisees_are_told_apart():
    assert is_supervisee(_user(Role.SUPERVISEE))
    assert not is_active_staff(_user(Role.SUPERVISEE))
    assert is_active_staff(_user(Role.SOCIAL_WORKER))
    assert not is_active_staff(_user(Role.SOCIAL_WORKER, active=False))
    anonymous = SimpleNamespace(is_authenticated=False, is_active=False)
    assert not is_supervisee(anonymous) and not is_active_staff(anonymous)


def test_who_may_hold_which_post():
    assert may_be_responsible_officer(_user(Role.OFFICE_OFFICER))
    assert not may_be_responsible_officer(_user(Role.SOCIAL_WORKER))  # a social worker assists, never answers for
    assert may_be_expert(_user(Role.ASSOCIATION_ADMIN)) and not may_be_expert(_user(Role.AGENCY_MANAGER))
    assert Role.SOCIAL_WORKER in CASE_TEAM_ROLES and Role.PROSECUTOR not in CASE_TEAM_ROLES
    assert is_prosecutor(_user(Role.PROSECUTOR)) and is_agency_manager(_user(Role.AGENCY_MANAGER))


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.SOCIAL_WORKER, DashboardKind.CASELOAD),
        (Role.COMMAND_CENTER, DashboardKind.OVERVIEW),
        (Role.AGENCY_MANAGER, DashboardKind.PROJECTS),
        (Role.INSPECTOR, DashboardKind.ASSOCIATION),
        (Role.PROSECUTOR, None),
    ],
)
def test_each_role_s_today_page(role, kind):
    assert dashboard_of(_user(role)) == kind


def test_superusers_see_the_overview_and_officers_are_cached_per_person():
    assert dashboard_of(_user("", superuser=True)) == DashboardKind.OVERVIEW
    assert has_personal_scope(_user(Role.OFFICE_OFFICER)) and not has_personal_scope(_user(Role.BUREAU_ADMIN))
