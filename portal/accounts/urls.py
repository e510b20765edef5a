from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/new/", views.organization_create, name="organization_create"),
    path("organisations/switch/", views.switch_organization, name="switch_organization"),
    path("organisations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organisations/<int:pk>/mfa/", views.organization_mfa_policy, name="organization_mfa_policy"),
    path(
        "organisations/<int:pk>/deactivate/",
        views.organization_set_active,
        {"active": False},
        name="organization_deactivate",
    ),
    path(
        "organisations/<int:pk>/reactivate/",
        views.organization_set_active,
        {"active": True},
        name="organization_reactivate",
    ),
    path("organisations/<int:pk>/invite/", views.invitation_create, name="invitation_create"),
    path("memberships/<int:pk>/deactivate/", views.membership_deactivate, name="membership_deactivate"),
    path("memberships/<int:pk>/reactivate/", views.membership_reactivate, name="membership_reactivate"),
    path("memberships/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/invite/", views.expert_invite, name="expert_invite"),
    path(
        "experts/<int:pk>/deactivate/", views.expert_set_active, {"active": False}, name="expert_deactivate"
    ),
    path("experts/<int:pk>/reactivate/", views.expert_set_active, {"active": True}, name="expert_reactivate"),
]
