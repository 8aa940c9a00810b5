from django.urls import path

from .views import courses, groups, people

app_name = "learning"
urlpatterns = [
    path("", courses.course_list, name="courses"),
    path("courses/new/", courses.course_new, name="course_new"),
    path("courses/<int:pk>/", courses.course_detail, name="course"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/publish/", courses.course_publish, name="course_publish"),
    path("courses/<int:pk>/lessons/new/", courses.lesson_new, name="lesson_new"),
    path("courses/<int:pk>/questions/new/", courses.question_new, name="question_new"),
    path("courses/<int:pk>/exam/", courses.exam_edit, name="exam_edit"),
    path("lessons/<int:pk>/", courses.lesson_view, name="lesson"),
    path("lessons/<int:pk>/edit/", courses.lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/move/", courses.lesson_move, name="lesson_move"),
    path("questions/<int:pk>/edit/", courses.question_edit, name="question_edit"),
    path("questions/<int:pk>/move/", courses.question_move, name="question_move"),
    path("lessons/<int:pk>/media", courses.lesson_media, name="lesson_media"),
    path("people/<int:pk>/", people.person, name="person"),
    path("face-checks/", people.flagged, name="flagged"),
    path("face-checks/<int:pk>/", people.face_check, name="face_check"),
    path("face-checks/<int:pk>/review/", people.face_check_review, name="face_check_review"),
    path("lecturers/", groups.lecturers, name="lecturers"),
    path("group-sessions/", groups.group_sessions, name="group_sessions"),
    path("group-sessions/<int:pk>/", groups.group_session, name="group_session"),
    path("group-sessions/<int:pk>/photos/", groups.group_session_photos, name="group_session_photos"),
    path("group-sessions/<int:pk>/photos/<int:photo>", groups.group_session_photo, name="group_session_photo"),
    path("report/", people.report, name="report"),
    path("report/export.xlsx", people.report_export, name="report_export"),
]
