from django.urls import path

from .views import dashboard, filings, members, public, trainings

app_name = "association"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("trainings/", trainings.training_list, name="training-list"),
    path("trainings/new/", trainings.training_create, name="training-create"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training-edit"),
    path("trainings/<int:pk>/cancel/", trainings.training_cancel, name="training-cancel"),
    path("trainings/<int:pk>/register/", trainings.training_register, name="training-register"),
    path("trainings/<int:pk>/registrations/add/", trainings.registration_add, name="registration-add"),
    path(
        "trainings/<int:pk>/registrations/<int:registration_pk>/attendance/",
        trainings.registration_attendance,
        name="registration-attendance",
    ),
    path(
        "trainings/<int:pk>/registrations/<int:registration_pk>/remove/",
        trainings.registration_remove,
        name="registration-remove",
    ),
    path("trainings/<int:pk>/qr/", trainings.training_qr, name="training-qr"),
    path("trainings/<int:pk>/qr/new/", trainings.training_qr_rotate, name="training-qr-rotate"),
    path("trainings/<int:pk>/questionnaires/new/", trainings.questionnaire_entry, name="questionnaire-entry"),
    path("questionnaire-items/", trainings.questionnaire_items, name="questionnaire-items"),
    path("sign-in/<str:token>/", public.sign_in, name="sign-in"),
    path("questionnaire/<str:token>/", public.questionnaire, name="questionnaire"),
    path("members/", members.member_list, name="member-list"),
    path("members/apply/", members.membership_apply, name="member-apply"),
    path("members/<int:pk>/", members.member_detail, name="member-detail"),
    path("members/<int:pk>/decide/", members.member_decide, name="member-decide"),
    path("members/<int:pk>/status/", members.member_status, name="member-status"),
    path("directory/", members.directory, name="directory"),
    path("filings/", filings.filing_list, name="filing-list"),
    path("filings/new/", filings.filing_apply, name="filing-apply"),
    path("filings/<int:pk>/", filings.filing_detail, name="filing-detail"),
    path("filings/<int:pk>/review/", filings.filing_review, name="filing-review"),
    path("filings/<int:pk>/revoke/", filings.filing_revoke, name="filing-revoke"),
    path("filings/<int:pk>/correct/", filings.filing_resubmit, name="filing-resubmit"),
    path("filings/<int:pk>/renew/", filings.filing_renew, name="filing-renew"),
    path("filings/documents/<int:pk>/", filings.filing_document, name="filing-document"),
]
