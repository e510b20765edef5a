from django.urls import path

from . import views

app_name = "municipalities"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/participants/", views.participants_add, name="participants_add"),
    path("programmes/<int:pk>/apply/", views.programme_apply, name="programme_apply"),
    path("programmes/<int:pk>/board/", views.programme_board, name="programme_board"),
    path("programmes/<int:pk>/export.xlsx", views.programme_export, name="programme_export"),
    path("programmes/<int:pk>/questions/", views.question_list, name="question_list"),
    path("programmes/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("programmes/<int:pk>/sections/new/", views.section_create, name="section_create"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path(
        "participations/<int:pk>/accept/",
        views.participation_decide,
        {"accept": True},
        name="participation_accept",
    ),
    path(
        "participations/<int:pk>/decline/",
        views.participation_decide,
        {"accept": False},
        name="participation_decline",
    ),
    path("sheets/", views.sheet_list, name="sheet_list"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/edit/", views.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/autosave/", views.sheet_autosave, name="sheet_autosave"),
    path("sheets/<int:pk>/revisions/<int:number>/", views.sheet_revision, name="sheet_revision"),
    path("sheets/<int:pk>/files/<int:file_pk>/", views.sheet_file, name="sheet_file"),
    path("sheets/<int:pk>/files/<int:file_pk>/delete/", views.sheet_file_delete, name="sheet_file_delete"),
    path("sheets/<int:pk>/return/", views.sheet_return, name="sheet_return"),
    path("sheets/<int:pk>/notes/", views.sheet_note, name="sheet_note"),
    path("sheets/<int:pk>/compare/", views.sheet_compare, name="sheet_compare"),
    path("sheets/<int:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("sheets/<int:pk>/exchange/new/", views.session_create, name="session_create"),
    path("exchanges/<int:pk>/", views.session_detail, name="session_detail"),
    path("exchanges/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("exchanges/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("exchanges/<int:pk>/record/", views.session_record, name="session_record"),
    path("exchanges/<int:pk>/ics/", views.session_ics, name="session_ics"),
    path("exchanges/<int:pk>/actions/", views.action_create, name="action_create"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
