from django.contrib import admin

from .admin_site import ReadOnlyCoordinatorModelAdmin
from .models import AuditEvent, Notification, OutboundEmail


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["created_at", "actor_email", "organization", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_email", "action", "object_id"]
    list_select_related = ["organization"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    exclude = ["body_text", "body_html", "attachments"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    list_select_related = ["user"]
