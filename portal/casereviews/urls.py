from django.urls import path

from . import views

app_name = "casereviews"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/statistics.xlsx", views.statistics, name="statistics"),
    path("cases/export/", views.case_export, name="case_export"),
    path("cases/conflicts/", views.conflict_list, name="conflict_list"),
    path("cases/conflicts/<int:pk>/end/", views.conflict_end, name="conflict_end"),
    path("cases/conflicts/<int:pk>/confirm/", views.conflict_confirm, name="conflict_confirm"),
    path("cases/blind-review/", views.blind_review_default, name="blind_review_default"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/delete/", views.case_draft_delete, name="case_draft_delete"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/", views.case_attachment, name="case_attachment"),
    path("cases/<int:pk>/return/", views.case_return, name="case_return"),
    path("cases/<int:pk>/accept/", views.case_accept, name="case_accept"),
    path("cases/<int:pk>/decline/", views.case_decline, name="case_decline"),
    path("cases/<int:pk>/adhoc/", views.case_adhoc, name="case_adhoc"),
    path("cases/<int:pk>/schedule/", views.case_schedule, name="case_schedule"),
    path("cases/<int:pk>/unschedule/", views.case_unschedule, name="case_unschedule"),
    path("cases/<int:pk>/reviewed/", views.case_reviewed, name="case_reviewed"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/attend/", views.case_attendance, {"attend": True}, name="case_attend"),
    path("cases/<int:pk>/not-attend/", views.case_attendance, {"attend": False}, name="case_not_attend"),
    path("cases/<int:pk>/notes/", views.case_note, name="case_note"),
    path("cases/<int:pk>/report/", views.case_report, name="case_report"),
    path("cases/<int:pk>/advice/", views.advice_edit, name="advice_edit"),
    path("cases/<int:pk>/advice/issue/", views.advice_issue, name="advice_issue"),
    path("cases/<int:pk>/advice.pdf", views.advice_pdf, name="advice_pdf"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/generate/", views.meeting_generate, name="meeting_generate"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/ics/", views.meeting_ics, name="meeting_ics"),
]
