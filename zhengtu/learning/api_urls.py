from django.urls import path

from . import api

urlpatterns = [
    path("learning/courses/", api.CourseList.as_view(), name="api-learning-courses"),
    path("learning/my/assignments/", api.MyAssignments.as_view(), name="api-learning-my-assignments"),
    path("learning/people/<int:pk>/attempts/", api.PersonAttempts.as_view(), name="api-learning-person-attempts"),
    path(
        "learning/people/<int:pk>/face-checks/", api.PersonFaceChecks.as_view(), name="api-learning-person-face-checks"
    ),
    path("learning/sessions/", api.SessionStart.as_view(), name="api-learning-sessions"),
    path("learning/sessions/<int:pk>/heartbeat/", api.Heartbeat.as_view(), name="api-learning-heartbeat"),
    path("learning/sessions/<int:pk>/face-check/", api.FaceCheckAnswer.as_view(), name="api-learning-face-check"),
]
