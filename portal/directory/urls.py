from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("directory/partners/", views.partner_list, name="partner_list"),
    path("directory/partners.csv", views.partner_csv, name="partner_csv"),
    path("directory/partners.pdf", views.partner_pdf, name="partner_pdf"),
    path("directory/institutions/", views.institution_list, name="institution_list"),
    path("directory/events/", views.event_calendar, name="event_calendar"),
    path("directory/events.ics", views.event_calendar_ics, name="event_calendar_ics"),
    path("directory/my-entry/", views.partner_entry, name="partner_entry"),
    path("directory/review/", views.review_list, name="review_list"),
    path("directory/review/<int:pk>/", views.partner_review, name="partner_review"),
    path("directory/institutions/manage/", views.institution_manage, name="institution_manage"),
    path("directory/institutions/new/", views.institution_create, name="institution_create"),
    path("directory/institutions/<int:pk>/edit/", views.institution_edit, name="institution_edit"),
]
