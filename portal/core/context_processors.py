from django.conf import settings


def portal(request):
    from portal.accounts import permissions

    user = getattr(request, "user", None)
    roles = permissions.roles_of(user) if user is not None and user.is_authenticated else set()
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "portal_roles": roles,
        "portal_memberships": permissions.active_memberships(user) if user is not None else [],
        "active_membership": getattr(request, "membership", None),
        "unread_notifications": unread,
        "LANGUAGES": settings.LANGUAGES,
    }
