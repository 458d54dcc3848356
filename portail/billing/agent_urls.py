app_name = "billing_agent"
urlpatterns: list = []
