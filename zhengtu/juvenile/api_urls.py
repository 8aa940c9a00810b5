from django.urls import path

from . import api

urlpatterns = [
    path("juvenile-cases/", api.JuvenileCaseList.as_view(), name="api-juvenile-cases"),
    path("juvenile-cases/<int:pk>/", api.JuvenileCaseDetail.as_view(), name="api-juvenile-case"),
]
