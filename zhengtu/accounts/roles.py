"""What each role may do. The one place that answers "may this user do X?".

Capabilities are coarse verbs used by views, services and templates. What a user may *see*
is decided separately by each domain's selector (their organisation subtree plus explicit
assignments); a capability never widens that scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Corrections bureau administrator")
    OFFICE_OFFICER = "office_officer", _("Justice office officer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    AGENCY_MANAGER = "agency_manager", _("Agency project manager")
    INSPECTOR = "inspector", _("Inspection expert")
    ASSOCIATION_ADMIN = "association_admin", _("Association administrator")
    COMMAND_CENTER = "command_center", _("Command center duty staff")
    PROSECUTOR = "prosecutor", _("Procuratorate prosecutor")
    SUPERVISEE = "supervisee", _("Supervisee")


class Capability(models.TextChoices):
    VIEW_SUPERVISEES = "view_supervisees", _("View supervisees")
    EDIT_SUPERVISEES = "edit_supervisees", _("Register and edit supervisees")
    IMPORT_SUPERVISEES = "import_supervisees", _("Import supervisees")
    EXPORT_SUPERVISEES = "export_supervisees", _("Export supervisees")
    REVEAL_IDENTITY = "reveal_identity", _("Reveal identity and phone numbers")
    MANAGE_ORGANISATIONS = "manage_organisations", _("Manage the organisation tree")
    MANAGE_USERS = "manage_users", _("Manage user accounts")
    VIEW_AUDIT = "view_audit", _("Browse the audit log")
    APPROVE_OFFICE = "approve_office", _("Approve at justice office level")
    APPROVE_BUREAU = "approve_bureau", _("Approve at county bureau level")
    DECIDE_SANCTIONS = "decide_sanctions", _("Decide sanctions")
    SUPERVISE = "supervise", _("Record daily supervision")
    ASSESS = "assess", _("Carry out assessments")
    MONITOR = "monitor", _("Electronic monitoring")
    RECORD_SERVICES = "record_services", _("Record social-work services")
    MANAGE_PROJECTS = "manage_projects", _("Manage purchased-service projects")
    INSPECT = "inspect", _("Score supervision inspections")
    MANAGE_ASSOCIATION = "manage_association", _("Manage the association")
    VIEW_STATISTICS = "view_statistics", _("View statistics")
    REFER_JUVENILES = "refer_juveniles", _("Refer juvenile cases")
    SELF_SERVICE = "self_service", _("Own check-ins and results")
    # Juvenile judicial social work (zhengtu.juvenile) and volunteers (zhengtu.volunteers).
    VIEW_JUVENILE_CASES = "view_juvenile_cases", _("View juvenile cases")
    HANDLE_JUVENILE_CASES = "handle_juvenile_cases", _("Handle juvenile cases and social investigations")
    APPROVE_JUVENILE = "approve_juvenile", _("Approve juvenile reports, sealing and sealed-record reads")
    OVERSEE_SUPERVISION = "oversee_supervision", _("Read supervision files as the procuratorate (read-only)")
    MANAGE_VOLUNTEERS = "manage_volunteers", _("Manage volunteers and professional development")
    MANAGE_LEARNING = "manage_learning", _("Manage courses, exams and the lecturer pool")
    # Help with returning to society (zhengtu.reintegration).
    VIEW_REINTEGRATION = "view_reintegration", _("View help with returning to society")
    RECORD_REINTEGRATION = "record_reintegration", _("Record help with returning to society")


C = Capability
_JUVENILE_STAFF = {C.VIEW_JUVENILE_CASES, C.HANDLE_JUVENILE_CASES, C.MANAGE_VOLUNTEERS}
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(
        {
            C.VIEW_SUPERVISEES,
            C.EDIT_SUPERVISEES,
            C.IMPORT_SUPERVISEES,
            C.EXPORT_SUPERVISEES,
            C.REVEAL_IDENTITY,
            C.MANAGE_ORGANISATIONS,
            C.MANAGE_USERS,
            C.VIEW_AUDIT,
            C.APPROVE_OFFICE,
            C.APPROVE_BUREAU,
            C.DECIDE_SANCTIONS,
            C.SUPERVISE,
            C.MONITOR,
            C.VIEW_STATISTICS,
            C.MANAGE_PROJECTS,
            C.VIEW_JUVENILE_CASES,
            C.APPROVE_JUVENILE,
            C.MANAGE_VOLUNTEERS,
        }
    ),
    Role.OFFICE_OFFICER: frozenset(
        {
            C.VIEW_SUPERVISEES,
            C.EDIT_SUPERVISEES,
            C.IMPORT_SUPERVISEES,
            C.EXPORT_SUPERVISEES,
            C.REVEAL_IDENTITY,
            C.APPROVE_OFFICE,
            C.SUPERVISE,
            C.ASSESS,
            C.RECORD_SERVICES,
            C.VIEW_STATISTICS,
            C.MANAGE_VOLUNTEERS,
        }
    ),
    Role.SOCIAL_WORKER: frozenset({C.VIEW_SUPERVISEES, C.ASSESS, C.RECORD_SERVICES, C.SUPERVISE, *_JUVENILE_STAFF}),
    Role.AGENCY_MANAGER: frozenset(
        {C.VIEW_SUPERVISEES, C.ASSESS, C.RECORD_SERVICES, C.MANAGE_PROJECTS, *_JUVENILE_STAFF, C.APPROVE_JUVENILE}
    ),
    Role.INSPECTOR: frozenset({C.INSPECT}),
    Role.ASSOCIATION_ADMIN: frozenset({C.MANAGE_ASSOCIATION, C.INSPECT, C.VIEW_STATISTICS}),
    Role.COMMAND_CENTER: frozenset({C.VIEW_SUPERVISEES, C.MONITOR, C.VIEW_STATISTICS}),
    Role.PROSECUTOR: frozenset({C.REFER_JUVENILES, C.VIEW_JUVENILE_CASES, C.OVERSEE_SUPERVISION}),
    Role.SUPERVISEE: frozenset({C.SELF_SERVICE}),
}
# Online education (learning app): bureaus and offices publish courses and book lecturers; agencies teach.
for _role in (Role.BUREAU_ADMIN, Role.OFFICE_OFFICER, Role.SOCIAL_WORKER, Role.AGENCY_MANAGER):
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | {C.MANAGE_LEARNING}
# Help with returning to society: offices and social workers record, bureaus record and read, agency leads read.
for _role in (Role.BUREAU_ADMIN, Role.OFFICE_OFFICER, Role.SOCIAL_WORKER):
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | {C.VIEW_REINTEGRATION, C.RECORD_REINTEGRATION}
ROLE_CAPABILITIES[Role.AGENCY_MANAGER] = ROLE_CAPABILITIES[Role.AGENCY_MANAGER] | {C.VIEW_REINTEGRATION}

# Roles whose members are staff: they must log in with a second factor.
STAFF_ROLES = frozenset(set(Role.values) - {Role.SUPERVISEE})

# Which kinds of organisation (orgs.models.OrganisationKind values) a member of each role works
# in: one place for "who sits where". Plain strings, because this module is imported by the
# apps' AppConfig classes before any model may be loaded. Supervisee accounts are opened from the
# registry, never on the user-management pages.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset({"city_bureau", "county_bureau", "province_bureau"}),
    Role.OFFICE_OFFICER: frozenset({"justice_office"}),
    Role.SOCIAL_WORKER: frozenset({"agency"}),
    Role.AGENCY_MANAGER: frozenset({"agency"}),
    Role.INSPECTOR: frozenset({"association"}),
    Role.ASSOCIATION_ADMIN: frozenset({"association"}),
    Role.COMMAND_CENTER: frozenset({"command_center", "city_bureau", "county_bureau", "province_bureau"}),
    Role.PROSECUTOR: frozenset({"procuratorate"}),
}
ASSIGNABLE_ROLES = tuple(role for role in Role if role in ROLE_ORGANISATION_KINDS)


def capabilities_of(user: User) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Capability.values)
    return ROLE_CAPABILITIES.get(user.role, frozenset())


def can(user: User, capability: str) -> bool:
    return capability in capabilities_of(user)


# --- What a role *is*, beyond what it may do ----------------------------------------------------------
# The role checks the apps make, named once here so that no app compares `user.role` itself. Scope (which
# records) stays with each app's selectors; these only say which kind of account the user holds.

# A supervisee's responsible officer (责任人) is an office officer or a bureau administrator.
OFFICER_ROLES = frozenset({Role.OFFICE_OFFICER, Role.BUREAU_ADMIN})
# Inspection experts are drawn from the association's inspectors and its administrators.
EXPERT_ROLES = frozenset({Role.INSPECTOR, Role.ASSOCIATION_ADMIN})
# A social-work agency's own staff.
AGENCY_STAFF_ROLES = frozenset({Role.SOCIAL_WORKER, Role.AGENCY_MANAGER})
# Who may be assigned to a supervisee's case team: officers and agency staff.
CASE_TEAM_ROLES = OFFICER_ROLES | AGENCY_STAFF_ROLES
# Roles whose scope includes people or projects assigned to them personally, so whatever is cached per
# organisation must also be kept per person for them.
PERSONAL_SCOPE_ROLES = frozenset({Role.OFFICE_OFFICER, Role.SOCIAL_WORKER, Role.AGENCY_MANAGER, Role.INSPECTOR})


class DashboardKind(models.TextChoices):
    """Which "today" page a role sees (the command app draws it)."""

    CASELOAD = "caseload"  # the people and duties of one's own caseload
    OVERVIEW = "overview"  # a bureau's or the command centre's whole area
    PROJECTS = "projects"  # an agency's purchased-service projects
    ASSOCIATION = "association"  # the association's inspections and filings


DASHBOARD_OF_ROLE: dict[str, str] = {
    Role.OFFICE_OFFICER: DashboardKind.CASELOAD,
    Role.SOCIAL_WORKER: DashboardKind.CASELOAD,
    Role.BUREAU_ADMIN: DashboardKind.OVERVIEW,
    Role.COMMAND_CENTER: DashboardKind.OVERVIEW,
    Role.AGENCY_MANAGER: DashboardKind.PROJECTS,
    Role.INSPECTOR: DashboardKind.ASSOCIATION,
    Role.ASSOCIATION_ADMIN: DashboardKind.ASSOCIATION,
}


def _role_name(user: Any) -> str:
    return str(getattr(user, "role", "") or "")


def is_supervisee(user: Any) -> bool:
    """A supervisee's own account (the phone app), whether or not it is active."""
    return _role_name(user) == Role.SUPERVISEE


def is_active_staff(user: Any) -> bool:
    """A logged-in, active staff member (every role but the supervisee's)."""
    return bool(user.is_authenticated and user.is_active and not is_supervisee(user))


def is_prosecutor(user: Any) -> bool:
    return _role_name(user) == Role.PROSECUTOR


def is_agency_manager(user: Any) -> bool:
    return _role_name(user) == Role.AGENCY_MANAGER


def may_be_responsible_officer(user: Any) -> bool:
    return _role_name(user) in OFFICER_ROLES


def may_be_expert(user: Any) -> bool:
    return _role_name(user) in EXPERT_ROLES


def has_personal_scope(user: Any) -> bool:
    return _role_name(user) in PERSONAL_SCOPE_ROLES


def has_role_in(user: Any, roles: Iterable[str]) -> bool:
    """Whether the user's role is one of `roles`: for a set of roles a site configures (a rule), not a fixed one."""
    return _role_name(user) in set(roles)


def dashboard_of(user: Any) -> str | None:
    """The user's "today" page; superusers see the overview; None for roles without one."""
    if getattr(user, "is_superuser", False):
        return DashboardKind.OVERVIEW
    return DASHBOARD_OF_ROLE.get(_role_name(user))
