from django.urls import path

from . import api

urlpatterns = [
    path("projects/", api.ProjectList.as_view(), name="api-projects"),
    path("projects/<int:pk>/", api.ProjectDetail.as_view(), name="api-project"),
    path("projects/<int:pk>/targets/", api.TargetList.as_view(), name="api-project-targets"),
    path("projects/<int:pk>/progress/", api.ProjectProgress.as_view(), name="api-project-progress"),
    path("projects/<int:pk>/spending/", api.SpendingList.as_view(), name="api-project-spending"),
]
