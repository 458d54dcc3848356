app_name = "agenda_agent"
urlpatterns: list = []
