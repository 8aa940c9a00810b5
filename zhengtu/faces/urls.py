from django.urls import path

from . import views

app_name = "faces"
urlpatterns = [
    path("checks/<int:pk>/photo/", views.check_photo, name="check_photo"),
    path("registry/<int:pk>/photo/", views.registry_photo, name="registry_photo"),
]
