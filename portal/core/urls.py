from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:content_type_id>/<str:object_id>/", views.audit_object_history, name="audit_history"),
    path("outbox/", views.outbox_list, name="outbox_list"),
    path("outbox/export/", views.outbox_export, name="outbox_export"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("notifications/settings/", views.notification_preferences, name="notification_preferences"),
]
