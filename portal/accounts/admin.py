from django.contrib import admin

from portal.core.admin_site import ReadOnlyCoordinatorModelAdmin

from .models import ExpertProfile, Invitation, Membership, Organization, User

# The admin is a read-only window for coordinators: every change goes through the portal's
# pages and services, so that it is authorised, audited and notified in one place.


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["name", "kind", "code", "municipality_kind", "is_active", "require_mfa"]
    list_filter = ["kind", "is_active", "municipality_kind"]
    search_fields = ["name", "kana", "code"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["user", "organization", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "organization__kind"]
    search_fields = ["user__email", "organization__name"]
    list_select_related = ["user", "organization"]


@admin.register(User)
class UserAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "display_name"]
    exclude = ["password"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = ["user", "panel_discipline", "talent_bank_discipline", "is_active"]
    list_select_related = ["user"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyCoordinatorModelAdmin):
    list_display = [
        "email",
        "kind",
        "organization",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    exclude = ["token_hash"]
    list_select_related = ["organization"]
