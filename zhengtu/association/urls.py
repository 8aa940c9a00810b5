app_name = "association"
urlpatterns: list = []
