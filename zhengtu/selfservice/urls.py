from django.urls import path

from .views import activities, checkin, device, reports, requests, shell

app_name = "selfservice"
urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", shell.login_view, name="login"),
    path("logout/", shell.logout_view, name="logout"),
    path("offline/", shell.offline, name="offline"),
    path("manifest.webmanifest", shell.manifest, name="manifest"),
    path("sw.js", shell.service_worker, name="service_worker"),
    path("device/", device.device_verify, name="device_verify"),
    path("checkin/", checkin.checkin_page, name="checkin"),
    path("checkin/challenge/", checkin.checkin_challenge, name="checkin_challenge"),
    path("checkin/submit/", checkin.checkin_submit, name="checkin_submit"),
    path("checkin/<int:pk>/", checkin.checkin_result, name="checkin_result"),
    path("reports/", reports.reports, name="reports"),
    path("messages/", reports.messages, name="messages"),
    path("requests/", requests.requests_list, name="requests"),
    path("activities/", activities.activities, name="activities"),
    path("activities/<int:pk>/sign-up/", activities.activity_sign_up, name="activity_sign_up"),
    path("activities/<int:pk>/attend/", activities.activity_attend, name="activity_attend"),
    path("requests/new/<str:kind>/", requests.request_new, name="request_new"),
]
