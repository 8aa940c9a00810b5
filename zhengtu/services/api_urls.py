from django.urls import path

from . import api

urlpatterns = [
    path("service-records/", api.ServiceRecordList.as_view(), name="api-service-records"),
    path("service-records/<int:pk>/", api.ServiceRecordDetail.as_view(), name="api-service-record"),
]
