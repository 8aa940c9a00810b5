"""The supervisee's study pages, mounted inside the supervisee app at /app/learning/."""

from django.urls import path

from .views import groups, phone

app_name = "learning_app"
urlpatterns = [
    path("", phone.home, name="home"),
    path("courses/<int:pk>/", phone.course, name="course"),
    path("courses/<int:pk>/exam/", phone.exam_start, name="exam_start"),
    path("lessons/<int:pk>/", phone.lesson, name="lesson"),
    path("attempts/<int:pk>/", phone.attempt, name="attempt"),
    path("sign-in/<str:token>/", groups.sign_in, name="sign_in"),
]
