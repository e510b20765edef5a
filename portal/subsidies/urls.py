from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/open/", views.call_open, name="call_open"),
    path("calls/<int:pk>/export.xlsx", views.call_export, name="call_export"),
    path("calls/<int:pk>/dates.ics", views.call_ics, name="call_ics"),
    path("calls/<int:pk>/apply/", views.application_start, name="application_start"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/return/", views.application_return, name="application_return"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/decision.pdf", views.decision_pdf, name="decision_pdf"),
    path("applications/<int:pk>/changes/new/", views.change_create, name="change_create"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change_decide"),
    path("applications/<int:pk>/report/", views.report_edit, name="report_edit"),
    path("applications/<int:pk>/report/submit/", views.report_submit, name="report_submit"),
    path("applications/<int:pk>/finalize/", views.application_finalize, name="application_finalize"),
]
