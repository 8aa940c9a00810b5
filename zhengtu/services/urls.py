from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.ledger_list, name="ledger"),
    path("new/", views.record_new, name="record_new"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("import/", views.ledger_import, name="import"),
    path("import/template.xlsx", views.ledger_import_template, name="import_template"),
    path("hours/", views.hours_overview, name="hours"),
    path("people/<int:pk>/", views.person, name="person"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:pk>/notes/", views.record_note, name="record_note"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
