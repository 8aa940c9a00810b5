"""Where secrets come from: the environment first, then a key file under var/keys.

No secret is ever written in the repository. In the embedded shape a missing key file is
created on first start (mode 0600) so that `make run` works on a fresh clone; the scaled shape
refuses to start without keys provided by the operator (see docs/operations.md).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def read_key(
    env_name: str,
    key_file: Path,
    *,
    create_if_missing: bool,
    length: int = 32,
) -> str:
    value = os.environ.get(env_name, "").strip()
    if value:
        return value
    if key_file.exists():
        return key_file.read_text().strip()
    if not create_if_missing:
        raise ImproperlyConfigured(f"Missing secret: set the environment variable {env_name} or create {key_file}.")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    value = base64.urlsafe_b64encode(secrets.token_bytes(length)).decode()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def read_optional_key(env_name: str, key_file: Path) -> str:
    """The environment, then the key file; "" when neither is there."""
    value = os.environ.get(env_name, "").strip()
    if value:
        return value
    if key_file.exists():
        return key_file.read_text().strip()
    return ""
