from django.urls import path

from . import api, api_absconding

base = "supervision/supervisees/<int:pk>/"
urlpatterns = [
    path(base, api.SupervisionFileView.as_view(), name="api-supervision-file"),
    path(f"{base}documents-received/", api.DocumentsReceivedView.as_view(), name="api-supervision-documents-received"),
    path(f"{base}intake/", api.IntakeView.as_view(), name="api-supervision-intake"),
    path(f"{base}check-ins/", api.CheckInsView.as_view(), name="api-supervision-check-ins"),
    path(f"{base}visits/", api.VisitsView.as_view(), name="api-supervision-visits"),
    path(f"{base}leave-requests/", api.LeaveRequestsView.as_view(), name="api-supervision-leave-requests"),
    path(f"{base}monitoring/", api.MonitoringView.as_view(), name="api-supervision-monitoring"),
    path(f"{base}sanctions/", api.SanctionsView.as_view(), name="api-supervision-sanctions"),
    path(f"{base}release/prepare/", api.ReleasePrepareView.as_view(), name="api-supervision-release-prepare"),
    path(f"{base}release/", api.ReleaseView.as_view(), name="api-supervision-release"),
    path(f"{base}termination/", api.TerminationView.as_view(), name="api-supervision-termination"),
    path(f"{base}requests/", api.SuperviseeRequestsView.as_view(), name="api-supervision-requests"),
    path(f"{base}appraisals/", api.AppraisalsView.as_view(), name="api-supervision-appraisals"),
    path(f"{base}plan-reviews/", api.PlanReviewsView.as_view(), name="api-supervision-plan-reviews"),
    path(f"{base}searches/", api_absconding.SuperviseeSearchesView.as_view(), name="api-supervision-searches"),
    path("supervision/appraisals/<int:pk>/", api.AppraisalView.as_view(), name="api-supervision-appraisal"),
    path(
        "supervision/appraisals/<int:pk>/apply-level/",
        api.AppraisalApplyLevelView.as_view(),
        name="api-supervision-appraisal-apply-level",
    ),
    path("supervision/search-records/<int:pk>/", api_absconding.SearchView.as_view(), name="api-supervision-search"),
    path(
        "supervision/search-records/<int:pk>/steps/",
        api_absconding.SearchStepsView.as_view(),
        name="api-supervision-search-steps",
    ),
    path(
        "supervision/search-records/<int:pk>/police/",
        api_absconding.SearchPoliceView.as_view(),
        name="api-supervision-search-police",
    ),
    path(
        "supervision/search-records/<int:pk>/close/",
        api_absconding.SearchCloseView.as_view(),
        name="api-supervision-search-close",
    ),
    path(
        "supervision/sanctions/<int:pk>/decision/",
        api.SanctionDecisionView.as_view(),
        name="api-supervision-sanction-decision",
    ),
    path("supervision/approval-kinds/", api.ApprovalKindsView.as_view(), name="api-supervision-approval-kinds"),
    path("supervision/approvals/", api.ApprovalsView.as_view(), name="api-supervision-approvals"),
    path("supervision/approvals/<int:pk>/", api.ApprovalView.as_view(), name="api-supervision-approval"),
    path(
        "supervision/approvals/<int:pk>/decision/",
        api.ApprovalDecisionView.as_view(),
        name="api-supervision-approval-decision",
    ),
]
