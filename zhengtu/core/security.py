"""Response headers that protect every page: Content-Security-Policy and no caching of personal data.

Content-Security-Policy: scripts only from our own static files, or inline `<script>` blocks that
carry this response's nonce (`<script nonce="{{ request.csp_nonce }}">`). Inline event handlers
(`onclick=`, `onchange=`) are refused by browsers under this policy: use the behaviours of
`static/zhengtu/behaviours.js` (`data-autosubmit`, `data-confirm`, `data-print`) instead; a test
(core/tests/test_security_headers.py) fails on any template that slips one in. Styles may be inline
(many templates use `style=`); images may also come from the map tile hosts of
`ZHENGTU_CSP_IMG_SOURCES`. `ZHENGTU_CSP_REPORT_ONLY=1` sends the policy as report-only (to
try a new page without breaking it).

Cache-Control: every response to a signed-in user or the API carries names and, on reveal pages,
exports and the API's reveal, clear identity numbers; unless a view chose otherwise it gets
`private, no-store`, so neither a shared proxy nor the browser's disk cache keeps it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy(nonce: str) -> str:
    images = " ".join(["'self'", "data:", "blob:", *getattr(settings, "ZHENGTU_CSP_IMG_SOURCES", [])])
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": images,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "ZHENGTU_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        response.headers.setdefault(header, content_security_policy(nonce))
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.path.startswith("/api/")
        if personal and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
