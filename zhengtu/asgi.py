import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtu.settings.embedded")
django_application = get_asgi_application()

from zhengtu.core.bodylimit import RequestBodyLimit  # noqa: E402 - settings must be configured first
from zhengtu.core.synclane import with_sync_lane  # noqa: E402

# Oversized bodies are refused before Django spools them to disk (zhengtu/core/bodylimit.py); a few busy
# small requests (study heartbeats) go through one thread instead of six hops (zhengtu/core/synclane.py).
application = RequestBodyLimit(with_sync_lane(django_application))
