from django.urls import path

from . import api

urlpatterns = [
    path("association/trainings/", api.TrainingList.as_view(), name="association-api-trainings"),
    path("association/trainings/<int:pk>/", api.TrainingDetail.as_view(), name="association-api-training"),
    path(
        "association/trainings/<int:pk>/figures/",
        api.TrainingFigures.as_view(),
        name="association-api-training-figures",
    ),
    path(
        "association/trainings/<int:pk>/register/",
        api.TrainingRegister.as_view(),
        name="association-api-training-register",
    ),
    path("association/figures/", api.YearFigures.as_view(), name="association-api-year-figures"),
    path("association/members/", api.Directory.as_view(), name="association-api-directory"),
    path("association/filings/", api.FilingList.as_view(), name="association-api-filings"),
    path("association/filings/<int:pk>/", api.FilingDetail.as_view(), name="association-api-filing"),
]
