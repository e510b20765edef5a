from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    """The Django admin, for secretariat coordinators only, signed in through allauth (with MFA)."""

    site_header = _("Tokyo Hikikomori Support Net — administration")
    site_title = _("Support Net administration")
    index_title = _("Administration")

    def has_permission(self, request):
        from .registry import people

        return bool(
            request.user.is_active and request.user.is_staff and people().is_coordinator(request.user)
        )

    def login(self, request, extra_context=None):
        # allauth's sign-in (rate limits, MFA) instead of the admin's own form.
        return secure_admin_login(super().login)(request, extra_context)


class CoordinatorModelAdmin(admin.ModelAdmin):
    """Coordinators manage these rows through the admin without per-model Django permissions."""

    def _ok(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._ok(request)

    def has_change_permission(self, request, obj=None):
        return self._ok(request)

    def has_add_permission(self, request):
        return self._ok(request)

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept: deactivate instead

    def has_module_permission(self, request):
        return self._ok(request)


class ReadOnlyCoordinatorModelAdmin(CoordinatorModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
