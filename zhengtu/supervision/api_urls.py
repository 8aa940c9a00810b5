from django.urls import path

from . import api

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
    path("supervision/approval-kinds/", api.ApprovalKindsView.as_view(), name="api-supervision-approval-kinds"),
    path("supervision/approvals/", api.ApprovalsView.as_view(), name="api-supervision-approvals"),
    path("supervision/approvals/<int:pk>/", api.ApprovalView.as_view(), name="api-supervision-approval"),
    path(
        "supervision/approvals/<int:pk>/decision/",
        api.ApprovalDecisionView.as_view(),
        name="api-supervision-approval-decision",
    ),
]
