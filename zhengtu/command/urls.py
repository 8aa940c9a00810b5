from django.urls import path

from .views import dashboards, statistics, wall

app_name = "command"
urlpatterns = [
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/export.xlsx", statistics.export_page, name="export"),
    path("statistics/records/", statistics.records_page, name="records"),
    path("statistics/figures/<str:key>/", statistics.figure_page, name="figure"),
    path("dashboard/", dashboards.dashboard_page, name="dashboard"),
    path("wall/", wall.wall_page, name="wall"),
    path("wall/figures/", wall.wall_figures, name="wall_figures"),
    path("basemap/", wall.basemap_info, name="basemap"),
]
