from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("courses/new/", views.course_create, name="course_create"),
    path("copy/", views.catalogue_copy, name="catalogue_copy"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("courses/<int:pk>/sessions/series/", views.session_series, name="session_series"),
    path("courses/<int:pk>/modules/", views.module_add, name="module_add"),
    path("courses/<int:pk>/certificates/", views.certificates_issue, name="certificates_issue"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("sessions/<int:pk>/register-colleagues/", views.register_colleagues, name="register_colleagues"),
    path("sessions/<int:pk>/ics/", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/roster/", views.roster, name="roster"),
    path("sessions/<int:pk>/roster.pdf", views.roster_pdf, name="roster_pdf"),
    path("sessions/<int:pk>/roster/export/", views.roster_export, name="roster_export"),
    path("sessions/<int:pk>/waiting-list/export/", views.waitlist_export, name="waitlist_export"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/", views.registration_manage, name="registration_manage"),
    path("registrations/<int:pk>/leave/", views.registration_leave, name="registration_leave"),
    path("registrations/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("modules/<int:pk>/", views.module_detail, name="module_detail"),
    path("modules/<int:pk>/video/", views.module_video, name="module_video"),
    path("modules/<int:pk>/questions/", views.question_add, name="question_add"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("batches/<int:pk>/certificates.zip", views.batch_zip, name="batch_zip"),
    path("certificates/<int:pk>/", views.certificate_download, name="certificate_download"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript/<int:pk>/", views.transcript, name="member_transcript"),
    path("organization/", views.organization_overview, name="organization"),
    path("export.xlsx", views.year_export, name="export"),
]
