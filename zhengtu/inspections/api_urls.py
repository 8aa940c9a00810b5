from django.urls import path

from . import api

urlpatterns = [
    path("inspections/rounds/", api.RoundList.as_view(), name="inspections-api-rounds"),
    path("inspections/rounds/<int:pk>/figures/", api.RoundFigures.as_view(), name="inspections-api-round-figures"),
    path("inspections/projects/<int:pk>/", api.InspectionDetail.as_view(), name="inspections-api-inspection"),
    path("inspections/projects/<int:pk>/scoresheet/", api.OwnScoresheet.as_view(), name="inspections-api-scoresheet"),
    path("inspections/rectifications/", api.RectificationList.as_view(), name="inspections-api-rectifications"),
]
