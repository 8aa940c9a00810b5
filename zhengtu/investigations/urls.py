from django.urls import path

from . import views

app_name = "investigations"
urlpatterns = [
    path("", views.investigation_list, name="list"),
    path("new/", views.commission_new, name="new"),
    path("<int:pk>/", views.investigation_detail, name="detail"),
    path("<int:pk>/documents/", views.commission_documents, name="documents"),
    path("<int:pk>/documents/<int:document_pk>/", views.commission_document, name="document"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/interviews/", views.interview, name="interview"),
    path("<int:pk>/opinion/", views.opinion, name="opinion"),
    path("<int:pk>/decision/", views.decision, name="decision"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
]
