from django.urls import path

from .views import assessments, instruments, overview, self_service

app_name = "assessment"
urlpatterns = [
    path("", assessments.index, name="index"),
    path("new/", assessments.start, name="start"),
    path("<int:pk>/", assessments.detail, name="detail"),
    path("<int:pk>/fill/", assessments.fill, name="fill"),
    path("<int:pk>/cancel/", assessments.cancel, name="cancel"),
    path("<int:pk>/override/", assessments.override_request, name="override_request"),
    path("<int:pk>/alerts/<int:alert_pk>/", assessments.alert_acknowledge, name="alert_acknowledge"),
    path("<int:pk>/report/", assessments.report_issue, name="report_issue"),
    path("<int:pk>/report/<str:fmt>/", assessments.report_download, name="report_download"),
    path("overrides/", overview.overrides, name="overrides"),
    path("overrides/<int:pk>/decide/", assessments.override_decide, name="override_decide"),
    path("people/<int:supervisee_pk>/", assessments.person, name="person"),
    path("deadlines/", overview.deadlines, name="deadlines"),
    path("paper/", overview.paper_import, name="paper_import"),
    path("paper/template/<int:pk>/", overview.paper_template, name="paper_template"),
    path("instruments/", instruments.instrument_list, name="instruments"),
    path("instruments/import/", instruments.instrument_import, name="instrument_import"),
    path("instruments/<int:pk>/", instruments.instrument_detail, name="instrument_detail"),
    path(
        "instruments/<int:pk>/versions/<int:version_pk>/workbook/",
        instruments.version_workbook,
        name="version_workbook",
    ),
    path("mine/", self_service.mine, name="mine"),
    path("mine/<int:pk>/", self_service.mine_result, name="mine_result"),
    path("mine/<int:pk>/fill/", self_service.mine_fill, name="mine_fill"),
]
