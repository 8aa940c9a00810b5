from django.urls import path

from . import views

app_name = "reintegration"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("supervisees/<int:pk>/", views.person, name="person"),
    path("supervisees/<int:pk>/new/", views.need_new, name="need_new"),
    path("supervisees/<int:pk>/from-assessment/", views.need_from_assessment, name="need_from_assessment"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/refer/", views.refer, name="refer"),
    path("needs/<int:pk>/action/", views.action, name="action"),
    path("needs/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("needs/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("referrals/<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
]
