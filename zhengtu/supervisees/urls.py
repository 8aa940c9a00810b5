from django.urls import path

from . import spreadsheet_views, views

app_name = "supervisees"
urlpatterns = [
    path("", views.supervisee_list, name="list"),
    path("new/", views.supervisee_create, name="create"),
    path("preview/", views.preview, name="preview"),
    path("divisions/picker/", views.division_picker, name="division_picker"),
    path("officers/", views.officer_options, name="officer_options"),
    path("import/", spreadsheet_views.import_page, name="import"),
    path("import/jobs/<int:pk>/", spreadsheet_views.import_job_result, name="import_job_result"),
    path("import/template.<str:kind>", spreadsheet_views.import_template, name="import_template"),
    path("export/", spreadsheet_views.export, name="export"),
    path("<int:pk>/", views.supervisee_detail, name="detail"),
    path("<int:pk>/edit/", views.supervisee_edit, name="edit"),
    path("<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/assignments/", views.assignments, name="assignments"),
    path("<int:pk>/assignments/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
]
