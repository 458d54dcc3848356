from django.contrib import admin

from portail.messaging.models import Message, OutboundEmail


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at"]
    search_fields = ["recipient__username", "subject"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
