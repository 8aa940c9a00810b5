from django.urls import path

from . import api

urlpatterns = [
    path("app/home/", api.HomeView.as_view(), name="api-app-home"),
    path("app/check-ins/challenge/", api.ChallengeView.as_view(), name="api-app-challenge"),
    path("app/check-ins/", api.CheckInsView.as_view(), name="api-app-check-ins"),
    path("app/reports/", api.ReportsView.as_view(), name="api-app-reports"),
    path("app/requests/", api.RequestsView.as_view(), name="api-app-requests"),
    path("app/messages/", api.MessagesView.as_view(), name="api-app-messages"),
    path("app/activities/", api.ActivitiesView.as_view(), name="api-app-activities"),
    path("app/notifications/", api.NotificationsView.as_view(), name="api-app-notifications"),
    path("app/push-subscriptions/", api.PushSubscriptionView.as_view(), name="api-app-push"),
]
