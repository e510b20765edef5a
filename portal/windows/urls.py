from django.urls import path

from . import views

app_name = "windows"

urlpatterns = [
    path("windows/", views.window_directory, name="window_directory"),
    path("windows/directory.csv", views.window_directory_csv, name="window_directory_csv"),
    path("windows/directory.pdf", views.window_directory_pdf, name="window_directory_pdf"),
    path("windows/mine/", views.window_mine, name="window_mine"),
    path("windows/new/", views.window_create, name="window_create"),
    path("windows/<int:pk>/edit/", views.window_edit, name="window_edit"),
    path("windows/<int:pk>/delete/", views.window_delete, name="window_delete"),
    path("windows/confirm/", views.window_confirm, name="window_confirm"),
    path("windows/status/", views.window_status, name="window_status"),
    path("windows/remind/", views.window_remind, name="window_remind"),
]
