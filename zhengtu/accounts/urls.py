from django.urls import path

from .views import auth, users

app_name = "accounts"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("enrol/", auth.enrol, name="enrol"),
    path("password-policy/", auth.password_policy, name="password_policy"),
    path("password/", auth.password_change, name="password_change"),
    path("me/", auth.account, name="account"),
    path("tokens/<int:pk>/revoke/", auth.token_revoke, name="token_revoke"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", users.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset-two-factor/", users.user_reset_two_factor, name="user_reset_two_factor"),
    path("users/<int:pk>/password/", users.user_set_password, name="user_set_password"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
]
