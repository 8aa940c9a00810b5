app_name = "supervisees"
urlpatterns: list = []
