"""Issue 16, medium 11: the API documentation page loads Swagger UI from our own static files, no CDN."""

from __future__ import annotations

import re

from django.urls import reverse


def test_the_api_docs_page_references_no_external_host(client, login, world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.officer_a)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page), page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
    script = re.search(r"""<script src=["']([^"']*script=[^"']*)""", page)
    assert script, "the start-up script is a file of its own (no inline script for the CSP)"
    init = client.get(script.group(1).replace("&amp;", "&"))
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()
    assert "//cdn" not in init.content.decode()
