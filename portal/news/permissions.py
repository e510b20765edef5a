"""Who sees and writes news posts.

Members see their own organisation's posts in every state; coordinators see all posts (they
moderate). Another organisation's post answers 404 on the member pages. The public sees only
published posts whose publication has begun (past ones keep their URL, marked past).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in

from .models import Post

WRITER_KINDS = (Organization.Kind.MUNICIPALITY, Organization.Kind.PARTNER, Organization.Kind.SECRETARIAT)

CATEGORIES_BY_KIND: dict[str, list[str]] = {
    Organization.Kind.MUNICIPALITY: [Post.Category.MUNICIPAL],
    Organization.Kind.PARTNER: [Post.Category.EVENT],
    Organization.Kind.SECRETARIAT: [c for c, _label in Post.Category.choices],
}


def is_writer(user) -> bool:
    return any(m.organization.kind in WRITER_KINDS for m in active_memberships(user))


def require_writer(user) -> None:
    if not is_writer(user):
        raise PermissionDenied


def visible_posts(user):
    """The one visibility queryset of member pages: lists and detail both use it."""
    posts = Post.objects.select_related("organization", "author")
    if is_coordinator(user):
        return posts
    return posts.filter(organization_id__in=[m.organization_id for m in active_memberships(user)])


def get_post_for(user, pk) -> Post:
    require_writer(user)
    try:
        return visible_posts(user).get(pk=pk)
    except (Post.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def is_post_owner(user, post: Post) -> bool:
    return membership_in(user, post.organization_id) is not None


def get_post_for_owner(user, pk) -> Post:
    """Editing and submitting: staff of the writing organisation only."""
    post = get_post_for(user, pk)
    if not is_post_owner(user, post):
        raise PermissionDenied
    return post


def get_post_for_coordinator(user, pk) -> Post:
    post = get_post_for(user, pk)
    if not is_coordinator(user):
        raise PermissionDenied
    return post


def categories_for(organization) -> list[str]:
    if organization is None:
        return []
    return list(CATEGORIES_BY_KIND.get(organization.kind, []))


def writing_organization(request) -> Organization:
    """The organisation a new post is written for: the active one, if it may write."""
    org = getattr(request, "organization", None)
    if org is None or not categories_for(org) or membership_in(request.user, org.pk) is None:
        raise PermissionDenied
    return org


def public_posts(now=None):
    """The one visibility queryset of public pages: published, and publication has begun."""
    now = now or timezone.now()
    return Post.objects.select_related("organization").filter(
        status=Post.Status.PUBLISHED, publish_from__lte=now
    )


def current_filter(now=None) -> Q:
    """Public lists leave out posts whose publication has ended."""
    now = now or timezone.now()
    return Q(publish_until__isnull=True) | Q(publish_until__gt=now)


def get_public_post(pk) -> Post:
    try:
        return public_posts().get(pk=pk)
    except (Post.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
