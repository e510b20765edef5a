from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("talent-bank/slots/", views.slot_list, name="slot_list"),
    path("talent-bank/slots/hold/", views.slot_hold, name="slot_hold"),
    path("talent-bank/requests/", views.consultation_list, name="consultation_list"),
    path("talent-bank/requests/new/", views.consultation_create, name="consultation_create"),
    path("talent-bank/requests/export/", views.consultation_export, name="consultation_export"),
    path("talent-bank/requests/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("talent-bank/requests/<int:pk>/confirm/", views.consultation_confirm, name="consultation_confirm"),
    path("talent-bank/requests/<int:pk>/decline/", views.consultation_decline, name="consultation_decline"),
    path("talent-bank/requests/<int:pk>/cancel/", views.consultation_cancel, name="consultation_cancel"),
    path(
        "talent-bank/requests/<int:pk>/reschedule/",
        views.consultation_reschedule,
        name="consultation_reschedule",
    ),
    path("talent-bank/requests/<int:pk>/no-show/", views.consultation_no_show, name="consultation_no_show"),
    path("talent-bank/requests/<int:pk>/record/", views.consultation_record, name="consultation_record"),
    path(
        "talent-bank/requests/<int:pk>/feedback/", views.consultation_feedback, name="consultation_feedback"
    ),
    path("talent-bank/requests/<int:pk>/quota-exception/", views.quota_exception, name="quota_exception"),
    path("talent-bank/requests/<int:pk>/ics/", views.consultation_ics, name="consultation_ics"),
    path("talent-bank/availability/", views.availability, name="availability"),
    path(
        "talent-bank/availability/<str:kind>/<int:pk>/delete/",
        views.availability_delete,
        name="availability_delete",
    ),
    path("talent-bank/utilisation.xlsx", views.utilisation, name="utilisation"),
]
