"""Staff pages about the app (namespace "appstaff", under /app-staff/)."""

from django.urls import path

from .views import staff, staff_activities

app_name = "appstaff"
urlpatterns = [
    path("", staff.overview, name="overview"),
    path("people/<int:pk>/panel/", staff.file_panel, name="file_panel"),
    path("people/<int:pk>/spot-check/", staff.spot_check, name="spot_check"),
    path("people/<int:pk>/messages/", staff.messages_thread, name="messages"),
    path("check-ins/<int:pk>/", staff.check_in, name="check_in"),
    path("check-ins/<int:pk>/map/", staff.check_in_map, name="check_in_map"),
    path("reports/<int:pk>/<str:what>/", staff.report_file, name="report_file"),
    path("devices/<int:pk>/revoke/", staff.device_revoke, name="device_revoke"),
    path("requests/<int:pk>/", staff.app_request, name="request"),
    path("activities/", staff_activities.activity_list, name="activities"),
    path("activities/<int:pk>/", staff_activities.activity_detail, name="activity"),
]
