from zhengtu.accounts.roles import ASSIGNABLE_ROLES, ROLE_CAPABILITIES, ROLE_ORGANISATION_KINDS, Role
from zhengtu.orgs.models import OrganisationKind


def test_every_role_has_capabilities_and_every_staff_role_has_a_place_in_the_tree():
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    assert set(ASSIGNABLE_ROLES) == set(Role.values) - {Role.SUPERVISEE}
    for kinds in ROLE_ORGANISATION_KINDS.values():
        assert kinds and kinds <= set(OrganisationKind.values)
