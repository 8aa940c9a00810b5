from django.urls import path

from .views import budget, projects, reports

app_name = "projects"
urlpatterns = [
    path("", projects.project_list, name="list"),
    path("new/", projects.project_create, name="create"),
    path("<int:pk>/", projects.project_detail, name="detail"),
    path("<int:pk>/edit/", projects.project_edit, name="edit"),
    path("<int:pk>/staff/", projects.project_staff, name="staff"),
    path("<int:pk>/targets/", projects.project_targets, name="targets"),
    path("<int:pk>/targets/<int:target_pk>/records/", projects.target_records, name="target_records"),
    path("<int:pk>/targets/<int:target_pk>/delete/", projects.target_delete, name="target_delete"),
    path("<int:pk>/budget/", budget.budget, name="budget"),
    path("<int:pk>/spending/", budget.spending, name="spending"),
    path("<int:pk>/vouchers/<int:voucher_pk>/", budget.voucher, name="voucher"),
    path("<int:pk>/adjustments/new/", budget.adjustment_new, name="adjustment_new"),
    path("<int:pk>/adjustments/<int:adjustment_pk>/decide/", budget.adjustment_decide, name="adjustment_decide"),
    path("<int:pk>/reports/", reports.report_list, name="reports"),
    path("<int:pk>/reports/<int:report_pk>/", reports.report_detail, name="report"),
    path("<int:pk>/reports/<int:report_pk>/draft.docx", reports.report_draft, name="report_draft"),
    path("<int:pk>/reports/<int:report_pk>/finalise/", reports.report_finalise, name="report_finalise"),
    path("<int:pk>/reports/<int:report_pk>/reopen/", reports.report_reopen, name="report_reopen"),
    path("<int:pk>/reports/<int:report_pk>/versions/<int:number>.docx", reports.report_version, name="report_version"),
]
