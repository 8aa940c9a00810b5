"""The project's URLs plus the working-day calendar pages, until the root URLconf includes them."""

from django.urls import include, path

from zhengtu.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("workdays/", include("zhengtu.workdays.urls")), *project_urlpatterns]
