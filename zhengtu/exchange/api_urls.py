from django.urls import path

from . import api

urlpatterns = [
    path("exchange/schemas/<str:message_type>/", api.SchemaView.as_view(), name="api-exchange-schema"),
    path("exchange/import/<str:message_type>/", api.ImportView.as_view(), name="api-exchange-import"),
    path(
        "exchange/investigations/<int:pk>/result/",
        api.InvestigationResultView.as_view(),
        name="api-exchange-investigation-result",
    ),
    path(
        "exchange/supervisees/<int:pk>/intake-notice/",
        api.IntakeNoticeView.as_view(),
        name="api-exchange-intake-notice",
    ),
    path(
        "exchange/supervisees/<int:pk>/release-notice/",
        api.ReleaseNoticeView.as_view(),
        name="api-exchange-release-notice",
    ),
    path(
        "exchange/sanctions/<int:pk>/request/", api.SanctionRequestView.as_view(), name="api-exchange-sanction-request"
    ),
]
