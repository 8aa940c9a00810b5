"""The juvenile app's two-county world serves the volunteers' tests too."""

from zhengtu.juvenile.tests.conftest import juv  # noqa: F401 - a fixture
