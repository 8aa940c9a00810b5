from django.urls import path

from .views import cases, investigations, measures, oversight, sealed

app_name = "juvenile"
urlpatterns = [
    path("", cases.case_list, name="cases"),
    path("refer/", cases.refer, name="refer"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/step/", cases.case_step, name="case_step"),
    path("cases/<int:pk>/consent/", cases.case_consent, name="case_consent"),
    path("cases/<int:pk>/guardian/", cases.case_guardian, name="case_guardian"),
    path("cases/<int:pk>/link/", cases.case_link, name="case_link"),
    path("cases/<int:pk>/document/", cases.case_document, name="case_document"),
    path("cases/<int:pk>/seal/", cases.case_seal, name="case_seal"),
    path("cases/<int:pk>/investigation/", investigations.request_new, name="investigation_new"),
    path("cases/<int:pk>/adult-request/", measures.adult_request_new, name="adult_request_new"),
    path("cases/<int:pk>/non-prosecution/", measures.non_prosecution_new, name="non_prosecution_new"),
    path("cases/<int:pk>/non-prosecution/report/", measures.periodic_report_new, name="periodic_report_new"),
    path(
        "cases/<int:pk>/non-prosecution/conclude/", measures.non_prosecution_conclude, name="non_prosecution_conclude"
    ),
    path("documents/<int:pk>.pdf", cases.document_pdf, name="document_pdf"),
    path("documents/<int:pk>.docx", cases.document_docx, name="document_docx"),
    path("investigations/<int:pk>/", investigations.investigation_detail, name="investigation"),
    path("investigations/<int:pk>/interview/", investigations.interview_new, name="interview_new"),
    path("investigations/<int:pk>/edit/", investigations.report_edit, name="report_edit"),
    path("investigations/<int:pk>/<str:action>/", investigations.report_action, name="report_action"),
    path("received/", investigations.received, name="received"),
    path("adults/", measures.roster, name="roster"),
    path("adults/new/", measures.adult_new, name="adult_new"),
    path("adult-requests/<int:pk>/assign/", measures.adult_request_assign, name="adult_request_assign"),
    path("adult-requests/<int:pk>/attendance/", measures.adult_request_attendance, name="adult_request_attendance"),
    path("sealed/", sealed.sealed, name="sealed"),
    path("sealed/<int:pk>/decide/", sealed.decide, name="sealed_decide"),
    path("oversight/", oversight.oversight, name="oversight"),
    path("oversight/<int:pk>/", oversight.oversight_file, name="oversight_file"),
]
