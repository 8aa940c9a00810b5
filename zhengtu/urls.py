from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from zhengtu.workspace.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("system-admin/", admin.site.urls),
    path("accounts/", include("zhengtu.accounts.urls")),
    path("orgs/", include("zhengtu.orgs.urls")),
    path("audit/", include("zhengtu.audit.urls")),
    path("supervisees/", include("zhengtu.supervisees.urls")),
    path("supervision/", include("zhengtu.supervision.urls")),
    path("documents/", include("zhengtu.documents.urls")),
    path("workdays/", include("zhengtu.workdays.urls")),
    path("assessment/", include("zhengtu.assessment.urls")),
    path("monitoring/", include("zhengtu.monitoring.urls")),
    path("services/", include("zhengtu.services.urls")),
    path("projects/", include("zhengtu.projects.urls")),
    path("inspections/", include("zhengtu.inspections.urls")),
    path("association/", include("zhengtu.association.urls")),
    path("learning/", include("zhengtu.learning.urls")),
    path("app/learning/", include("zhengtu.learning.phone_urls")),
    path("faces/", include("zhengtu.faces.urls")),
    path("app/", include("zhengtu.selfservice.urls")),
    path("api/v1/", include("zhengtu.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("zhengtu.workspace.urls")),
]
