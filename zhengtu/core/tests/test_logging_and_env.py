"""Issue 16, low 19: a 403 is one log line; the gateway and proxy trust are set from the environment."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from zhengtu.core.logfilters import ForbiddenWithoutTraceback


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(client, login, world, caplog) -> None:  # type: ignore[no-untyped-def]
    login(client, world.social_worker_a)
    console = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, ForbiddenWithoutTraceback) for f in h.filters)
    )
    one_line = next(f for f in console.filters if isinstance(f, ForbiddenWithoutTraceback))
    console.removeFilter(one_line)  # see the record as Django made it, then pass it through the filter
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            response = client.get(reverse("supervisees:import"))  # a social worker may not import
    finally:
        console.addFilter(one_line)
    assert response.status_code == 403
    record = next(r for r in caplog.records if getattr(r, "status_code", None) == 403)
    assert record.exc_info  # Django attaches the PermissionDenied traceback
    assert "Traceback" in console.format(record)
    assert console.filter(record)
    record.exc_text = None
    line = console.format(record)
    assert "Traceback" not in line and "\n" not in line.strip()
    assert "Forbidden" in line


def _settings_in_a_fresh_process(**environment: str) -> dict[str, object]:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'ports': getattr(s, 'ZHENGTU_MONITORING_PORTS', None), "
        "'host': getattr(s, 'ZHENGTU_MONITORING_LISTEN_HOST', None), "
        "'proxies': getattr(s, 'ZHENGTU_MONITORING_TRUSTED_PROXIES', None), 'real_ip': s.ZHENGTU_TRUST_X_REAL_IP}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGTU_GATEWAY")}
    env.update(DJANGO_SETTINGS_MODULE="zhengtu.settings.test", **environment)
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_gateway_ports_bind_address_and_proxy_trust_come_from_the_environment() -> None:
    values = _settings_in_a_fresh_process(
        ZHENGTU_GATEWAY_HOST="0.0.0.0",  # noqa: S104 - what an operator would set
        ZHENGTU_GATEWAY_PORTS="jt808=6015, watch=6093",
        ZHENGTU_GATEWAY_TRUSTED_PROXIES="10.0.0.2,10.0.0.3",
        ZHENGTU_TRUST_X_REAL_IP="1",
    )
    assert values["host"] == "0.0.0.0"  # noqa: S104
    assert values["ports"] == {"jt808": 6015, "gt06": 5023, "watch": 6093, "osmand": 5055}
    assert values["proxies"] == ["10.0.0.2", "10.0.0.3"]
    assert values["real_ip"] is True
    untouched = _settings_in_a_fresh_process()
    assert untouched["ports"] is None and untouched["real_ip"] is False  # the defaults of monitoring/rules.py apply
