"""The projects fixtures (a county project, its agency staff, outsiders, supervisees) serve the ledger tests too."""

from zhengtu.projects.tests.conftest import ProjectWorld, actor, assign, people, person, pw  # noqa: F401
