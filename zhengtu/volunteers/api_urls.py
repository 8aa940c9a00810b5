from django.urls import path

from . import api

urlpatterns = [
    path("volunteers/", api.VolunteerList.as_view(), name="api-volunteers"),
]
