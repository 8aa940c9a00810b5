from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:code>/default.<str:template_format>", views.template_default, name="template_default"),
    path("templates/<str:code>/preview.pdf", views.template_preview, name="template_preview"),
    path("templates/<int:pk>/deactivate/", views.template_deactivate, name="template_deactivate"),
]
