from django.contrib import admin

from portail.pages.models import ContactMessage


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "name", "email", "subject", "handled_at"]
    search_fields = ["name", "email", "subject"]
