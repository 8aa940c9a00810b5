from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("supervisees/<int:pk>/", views.supervision_file, name="file"),
    path("supervisees/<int:pk>/documents-received/", views.documents_received, name="documents_received"),
    path("supervisees/<int:pk>/intake/", views.intake, name="intake"),
    path("supervisees/<int:pk>/team/", views.team, name="team"),
    path("team-members/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("supervisees/<int:pk>/plan/", views.plan, name="plan"),
    path("supervisees/<int:pk>/level/", views.level, name="level"),
    path("supervisees/<int:pk>/check-ins/new/", views.check_in, name="check_in"),
    path("supervisees/<int:pk>/visits/new/", views.visit, name="visit"),
    path("supervisees/<int:pk>/leave/new/", views.leave, name="leave"),
    path("leave/<int:pk>/return/", views.leave_return, name="leave_return"),
    path("supervisees/<int:pk>/transfer/new/", views.transfer, name="transfer"),
    path("supervisees/<int:pk>/monitoring/new/", views.monitoring, name="monitoring"),
    path("monitoring/<int:pk>/extend/", views.monitoring_extend, name="monitoring_extend"),
    path("supervisees/<int:pk>/requests/<str:kind>/new/", views.file_request, name="request"),
    path("supervisees/<int:pk>/sanctions/new/", views.sanction, name="sanction"),
    path("supervisees/<int:pk>/search/", views.search, name="search"),
    path("supervisees/<int:pk>/appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/<int:pk>/apply-level/", views.appraisal_apply_level, name="appraisal_apply_level"),
    path("supervisees/<int:pk>/plan-reviews/", views.plan_reviews, name="plan_reviews"),
    path("sanctions/<int:pk>/decision/", views.sanction_decision, name="sanction_decision"),
    path("supervisees/<int:pk>/release/", views.release, name="release"),
    path("supervisees/<int:pk>/terminate/", views.terminate, name="terminate"),
    path("supervisees/<int:pk>/archive/", views.archive, name="archive"),
    path("supervisees/<int:pk>/archive/<str:kind>/export/", views.archive_export, name="archive_export"),
    path("archive-exports/<int:job_pk>/", views.archive_export_result, name="archive_export_result"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval, name="approval"),
    path("approvals/<int:pk>/withdraw/", views.approval_withdraw, name="approval_withdraw"),
]
