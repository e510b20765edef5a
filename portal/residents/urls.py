from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    # public: sitemap 1–4 and 9
    path("consult/", views.methods, name="methods"),
    path("about/", views.about, name="about"),
    path("for-you/", views.for_person, name="for_person"),
    path("for-families/", views.for_family, name="for_family"),
    path("consult/examples/", views.examples, name="examples"),
    path("consult/events/", views.events, name="events"),
    path("consult/individual/", views.individual_apply, name="individual_apply"),
    path("consult/seminar/", views.seminar_apply, name="seminar_apply"),
    path("consult/individual/<int:year>/<str:kind>/flyer.pdf", views.schedule_flyer, name="schedule_flyer"),
    path("consult/thanks/", views.thanks, name="thanks"),
    path("consult/my/<str:token>/", views.manage, name="manage"),
    # the secretariat
    path("residents/", views.application_list, name="application_list"),
    path("residents/phone/", views.phone_application, name="phone_application"),
    path("residents/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("residents/applications/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path(
        "residents/applications/<int:pk>/waitlist/", views.application_waitlist, name="application_waitlist"
    ),
    path("residents/applications/<int:pk>/decline/", views.application_decline, name="application_decline"),
    path("residents/applications/<int:pk>/accept/", views.application_accept, name="application_accept"),
    path("residents/applications/<int:pk>/cancel/", views.application_cancel, name="application_cancel"),
    path(
        "residents/applications/<int:pk>/attendance/",
        views.application_attendance,
        name="application_attendance",
    ),
    path("residents/days/", views.day_list, name="day_list"),
    path("residents/days/<int:pk>/", views.day_detail, name="day_detail"),
    path("residents/seminars/", views.seminar_list, name="seminar_list"),
    path("residents/seminars/<int:pk>/", views.seminar_detail, name="seminar_detail"),
    path("residents/seats/<int:pk>/cancel/", views.seat_cancel, name="seat_cancel"),
    path("residents/seats/<int:pk>/attendance/", views.seat_attendance, name="seat_attendance"),
    path("residents/peer/", views.peer_list, name="peer_list"),
    path("residents/peer/slots/<int:pk>/book/", views.peer_book, name="peer_book"),
    path("residents/peer/bookings/<int:pk>/cancel/", views.peer_cancel, name="peer_cancel"),
    path("residents/counts.xlsx", views.yearly_counts, name="yearly_counts"),
    path("residents/pages/", views.page_list, name="page_list"),
    path("residents/pages/<str:kind>/edit/", views.page_edit, name="page_edit"),
    path("residents/pages/<str:kind>/history/", views.page_history, name="page_history"),
]
