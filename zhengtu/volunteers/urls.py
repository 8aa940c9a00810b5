from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_new, name="new"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/assign/", views.volunteer_assign, name="assign"),
    path("assignments/<int:pk>/hours/", views.hours_log, name="hours_log"),
    path("hours/<int:pk>/confirm/", views.hours_confirm, name="hours_confirm"),
    path("development/", views.development, name="development"),
    path("studios/", views.studio_list, name="studios"),
    path("studios/<int:pk>/", views.studio_detail, name="studio"),
]
