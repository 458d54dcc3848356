app_name = "accounts_agent"
urlpatterns: list = []
