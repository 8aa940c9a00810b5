import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtu.settings.embedded")
application = get_asgi_application()
