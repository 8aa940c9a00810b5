"""/api/v1/: each domain app contributes its own `api_urls.py`."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("auth/token/", views.obtain_token, name="api-token"),
    path("auth/token/revoke/", views.revoke_current_token, name="api-token-revoke"),
    path("auth/tokens/", views.token_list, name="api-token-list"),
    path("auth/tokens/<int:pk>/", views.token_revoke, name="api-token-detail"),
    path("", include("zhengtu.supervisees.api_urls")),
    path("", include("zhengtu.supervision.api_urls")),
    path("", include("zhengtu.exchange.api_urls")),
    path("", include("zhengtu.documents.api_urls")),
    path("", include("zhengtu.assessment.api_urls")),
    path("", include("zhengtu.monitoring.api_urls")),
    path("", include("zhengtu.services.api_urls")),
    path("", include("zhengtu.projects.api_urls")),
    path("", include("zhengtu.inspections.api_urls")),
    path("", include("zhengtu.association.api_urls")),
    path("", include("zhengtu.juvenile.api_urls")),
    path("", include("zhengtu.volunteers.api_urls")),
    path("", include("zhengtu.command.api_urls")),
    path("", include("zhengtu.selfservice.api_urls")),
    path("", include("zhengtu.learning.api_urls")),
    path("", include("zhengtu.reintegration.api_urls")),
]
