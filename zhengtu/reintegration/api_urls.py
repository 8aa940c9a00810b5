from django.urls import path

from . import api

urlpatterns = [
    path("reintegration/needs/", api.NeedList.as_view(), name="api-reintegration-needs"),
    path("reintegration/needs/<int:pk>/", api.NeedDetail.as_view(), name="api-reintegration-need"),
]
