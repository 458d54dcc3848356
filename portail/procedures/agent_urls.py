app_name = "procedures_agent"
urlpatterns: list = []
