import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtu.settings.embedded")
django_application = get_asgi_application()

from zhengtu.core.bodylimit import RequestBodyLimit  # noqa: E402 - settings must be configured first

# Oversized bodies are refused before Django spools them to disk (zhengtu/core/bodylimit.py).
application = RequestBodyLimit(django_application)
