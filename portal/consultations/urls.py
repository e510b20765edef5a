from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    # Residents (their own session cookie, sent only under /consultation/)
    path("consultation/", views.about, name="about"),
    path("consultation/register/", views.register, name="register"),
    path("consultation/register/<str:token>/", views.register_confirm, name="register_confirm"),
    path("consultation/sign-in/", views.sign_in, name="sign_in"),
    path("consultation/sign-out/", views.sign_out, name="sign_out"),
    path("consultation/reset/", views.reset, name="reset"),
    path("consultation/reset/<str:token>/", views.reset_confirm, name="reset_confirm"),
    path("consultation/my/", views.my_page, name="my_page"),
    path("consultation/my/welcome/", views.welcome, name="welcome"),
    path("consultation/my/new/", views.thread_new, name="thread_new"),
    path("consultation/my/<int:pk>/", views.my_thread, name="my_thread"),
    path("consultation/my/profile/", views.profile, name="profile"),
    path("consultation/my/leave/", views.leave, name="leave"),
    # Counsellors
    path("counselling/", views.inbox, name="inbox"),
    path("counselling/threads/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("counselling/threads/<int:pk>/assign/", views.thread_assign, name="thread_assign"),
    path("counselling/threads/<int:pk>/reply/", views.thread_draft, name="thread_draft"),
    path("counselling/threads/<int:pk>/note/", views.thread_note, name="thread_note"),
    path("counselling/threads/<int:pk>/close/", views.thread_close, name="thread_close"),
    path("counselling/templates/", views.template_list, name="template_list"),
    path("counselling/templates/new/", views.template_edit, name="template_create"),
    path("counselling/templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("counselling/records/", views.record_list, name="record_list"),
    path("counselling/records/new/", views.record_create, name="record_create"),
    path("counselling/records/<int:pk>/", views.record_detail, name="record_detail"),
    path("counselling/records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("counselling/statistics/", views.statistics, name="statistics"),
    path("counselling/statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
]
