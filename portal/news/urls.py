from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("<int:pk>/attachment/", views.news_attachment, name="attachment"),
    path("feed.atom", feeds.NewsFeed(), name="feed"),
    path("<str:category>/feed.atom", feeds.NewsFeed(), name="category_feed"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.post_create, name="create"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.post_edit, name="edit"),
    path("manage/<int:pk>/attachment/", views.manage_attachment, name="manage_attachment"),
    path("manage/<int:pk>/submit/", views.post_submit, name="submit"),
    path("manage/<int:pk>/approve/", views.post_approve, name="approve"),
    path("manage/<int:pk>/return/", views.post_return, name="return"),
    path("manage/<int:pk>/reject/", views.post_reject, name="reject"),
    path("manage/<int:pk>/flags/", views.post_flags, name="flags"),
]
