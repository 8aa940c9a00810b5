from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

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
    path("investigations/", include("zhengtu.investigations.urls")),
    path("documents/", include("zhengtu.documents.urls")),
    path("workdays/", include("zhengtu.workdays.urls")),
    path("assessment/", include("zhengtu.assessment.urls")),
    path("monitoring/", include("zhengtu.monitoring.urls")),
    path("services/", include("zhengtu.services.urls")),
    path("projects/", include("zhengtu.projects.urls")),
    path("inspections/", include("zhengtu.inspections.urls")),
    path("association/", include("zhengtu.association.urls")),
    path("juvenile/", include("zhengtu.juvenile.urls")),
    path("volunteers/", include("zhengtu.volunteers.urls")),
    path("command/", include("zhengtu.command.urls")),
    path("faces/", include("zhengtu.faces.urls")),
    path("learning/", include("zhengtu.learning.urls")),
    path("reintegration/", include("zhengtu.reintegration.urls")),
    path("app/learning/", include("zhengtu.learning.phone_urls")),
    path("app/", include("zhengtu.selfservice.urls")),
    path("app-staff/", include("zhengtu.selfservice.staff_urls")),
    path("api/v1/", include("zhengtu.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the Content-Security-Policy needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("zhengtu.workspace.urls")),
]
