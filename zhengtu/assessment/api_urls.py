from django.urls import path

from . import api

urlpatterns = [
    path("assessment/instruments/", api.InstrumentListView.as_view(), name="assessment-api-instruments"),
    path("assessment/instruments/<int:pk>/", api.InstrumentDetailView.as_view(), name="assessment-api-instrument"),
    path("assessment/assessments/", api.AssessmentListCreateView.as_view(), name="assessment-api-assessments"),
    path("assessment/assessments/<int:pk>/", api.AssessmentDetailView.as_view(), name="assessment-api-assessment"),
    path("assessment/assessments/<int:pk>/report/", api.ReportStatusView.as_view(), name="assessment-api-report"),
    path(
        "assessment/assessments/<int:pk>/report/<str:fmt>/",
        api.ReportFileView.as_view(),
        name="assessment-api-report-file",
    ),
]
