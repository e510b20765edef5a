from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("touring-consultation/", views.public_days, name="public_days"),
    path("outreach/", views.host_list, name="host_list"),
    path("outreach/plan/", views.plan_edit, name="plan_edit"),
    path("outreach/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("outreach/hosts/<int:pk>/", views.host_detail, name="host_detail"),
    path("outreach/hosts/<int:pk>/edit/", views.host_edit, name="host_edit"),
    path("outreach/hosts/<int:pk>/publish/", views.host_publish, name="host_publish"),
    path("outreach/hosts/<int:pk>/held/", views.host_held, name="host_held"),
    path("outreach/hosts/<int:pk>/report/", views.host_report, name="host_report"),
    path("outreach/hosts/<int:pk>/flyer.pdf", views.host_flyer, name="host_flyer"),
    path("outreach/days/<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("outreach/days/<int:pk>/ics/", views.day_ics, name="day_ics"),
    path("outreach/days/<int:pk>/book/", views.booking_create, name="booking_create"),
    path("outreach/bookings/", views.booking_list, name="booking_list"),
    path("outreach/bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("outreach/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("outreach/bookings/<int:pk>/record/", views.booking_record, name="booking_record"),
    path("visits/", views.referral_list, name="referral_list"),
    path("visits/new/", views.referral_create, name="referral_create"),
    path("visits/statistics.xlsx", views.referral_statistics, name="referral_statistics"),
    path("visits/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("visits/<int:pk>/edit/", views.referral_edit, name="referral_edit"),
    path("visits/<int:pk>/triage/", views.referral_triage, name="referral_triage"),
    path("visits/<int:pk>/interview/", views.referral_interview, name="referral_interview"),
    path("visits/<int:pk>/interview.ics", views.referral_interview_ics, name="referral_interview_ics"),
    path("visits/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("visits/<int:pk>/visits/", views.visit_add, name="visit_add"),
    path("visits/<int:pk>/extend/", views.referral_extend, name="referral_extend"),
    path("visits/<int:pk>/close/", views.referral_close, name="referral_close"),
]
