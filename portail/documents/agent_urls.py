app_name = "documents_agent"
urlpatterns: list = []
