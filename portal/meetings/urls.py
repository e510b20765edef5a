from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/series/", views.event_series, name="event_series"),
    path("events/<int:pk>/copy/", views.event_copy, name="event_copy"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/programme/", views.programme_add, name="programme_add"),
    path("programme/<int:pk>/remove/", views.programme_remove, name="programme_remove"),
    path("proposals/<int:pk>/file/", views.proposal_file, name="proposal_file"),
    path("exhibitors/<int:pk>/file/", views.exhibitor_file, name="exhibitor_file"),
    path("events/<int:pk>/ics/", views.event_ics, name="event_ics"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/attendance.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("events/<int:pk>/registrations/export/", views.registrations_export, name="registrations_export"),
    path("events/<int:pk>/waiting-list/export/", views.waitlist_export, name="waitlist_export"),
    path("events/<int:pk>/exhibitors/export/", views.exhibitors_export, name="exhibitors_export"),
    path("events/<int:pk>/materials/", views.material_add, name="material_add"),
    path("events/<int:pk>/materials/<int:material_pk>/", views.material_download, name="material_download"),
    path("events/<int:pk>/propose/", views.propose, name="propose"),
    path("events/<int:pk>/exhibit/", views.exhibitor_apply, name="exhibitor_apply"),
    path("fairs/<int:pk>/", views.fair_public, name="fair_public"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/", views.registration_manage, name="registration_manage"),
    path("registrations/<int:pk>/leave/", views.registration_leave, name="registration_leave"),
    path("registrations/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("registrations/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("registrations/<int:pk>/survey/", views.survey, name="survey"),
    path("registrations/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("proposals/<int:pk>/select/", views.proposal_decide, {"select": True}, name="proposal_select"),
    path("proposals/<int:pk>/reject/", views.proposal_decide, {"select": False}, name="proposal_reject"),
    path("exhibitors/<int:pk>/approve/", views.exhibitor_decide, {"approve": True}, name="exhibitor_approve"),
    path(
        "exhibitors/<int:pk>/decline/", views.exhibitor_decide, {"approve": False}, name="exhibitor_decline"
    ),
]
