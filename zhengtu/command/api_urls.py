"""/api/v1/statistics/… and /api/v1/dashboard/ (names prefixed "command-")."""

from django.urls import path

from . import api

urlpatterns = [
    path("statistics/figures/", api.figure_list, name="command-figure-list"),
    path("statistics/tables/", api.tables, name="command-tables"),
    path("statistics/figures/<str:key>/records/", api.figure_records, name="command-figure-records"),
    path("dashboard/", api.dashboard, name="command-dashboard"),
]
