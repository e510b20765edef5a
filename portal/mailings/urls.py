from django.urls import path

from . import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="list"),
    path("new/organizations/", views.mailing_create_for_organizations, name="create_organizations"),
    path("new/<slug:source>/<int:pk>/", views.mailing_create, name="create"),
    path("<int:pk>/", views.mailing_detail, name="detail"),
    path("<int:pk>/edit/", views.mailing_edit, name="edit"),
    path("<int:pk>/confirm/", views.mailing_confirm, name="confirm"),
    path("<int:pk>/status/", views.mailing_status, name="status"),
]
