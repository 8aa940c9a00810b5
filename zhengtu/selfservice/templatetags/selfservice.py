from __future__ import annotations

from typing import Any

from django import template

from zhengtu.selfservice.tabs import ShownTab, app_tabs

register = template.Library()


@register.simple_tag(takes_context=True)
def selfservice_tabs(context: dict[str, Any]) -> list[ShownTab]:
    request = context.get("request")
    return app_tabs(request.path if request is not None else "")
