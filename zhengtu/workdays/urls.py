from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_year, name="calendar"),
    path("years/", views.create_year, name="create_year"),
    path("days/", views.set_day, name="set_day"),
]
