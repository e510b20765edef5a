"""Every write to news posts: drafts, submission, the secretariat's review, pins and urgency."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator, membership_in
from portal.accounts.selectors import coordinators
from portal.core import audit, outbox, pii, uploads
from portal.core.exceptions import InvalidTransition, StaleEdit

from .models import Decision, Post
from .permissions import categories_for

__all__ = ["StaleEdit", "PersonalDataFound", "InvalidTransition"]

PersonalDataFound = pii.PersonalDataFound
GUARDED_FIELDS = ("title", "body", "event_place")
FIELDS = (
    "category",
    "title",
    "body",
    "event_starts_at",
    "event_ends_at",
    "event_place",
    "event_online",
    "event_url",
    "publish_from",
    "publish_until",
)
ATTACHMENT_TYPES = ("application/pdf", "image/png", "image/jpeg")
TEXT_FIELDS = ("title", "body", "event_place", "event_url")


def _values(data: dict) -> dict:
    values = {k: data.get(k) for k in FIELDS}
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    values["event_online"] = bool(values["event_online"])
    return values


def finding_key(field: str, finding) -> str:
    return pii.finding_key(field, finding)


def open_findings(values: dict, confirmed) -> dict[str, list[pii.Finding]]:
    """Personal-data findings in the post's text the author has not confirmed keeping."""
    found = pii.scan_fields({name: values.get(name) or "" for name in GUARDED_FIELDS})
    result = {
        field: [f for f in items if finding_key(field, f) not in confirmed] for field, items in found.items()
    }
    return {field: items for field, items in result.items() if items}


def _guard(values: dict, confirmed) -> list[str]:
    """Raise PersonalDataFound for unconfirmed findings; return the keys of the kept ones."""
    confirmed = set(confirmed)
    remaining = open_findings(values, confirmed)
    if remaining:
        raise PersonalDataFound(remaining)
    found = pii.scan_fields({name: values.get(name) or "" for name in GUARDED_FIELDS})
    return sorted({finding_key(field, f) for field, items in found.items() for f in items})


def _check_writer(actor, organization: Organization, category: str) -> None:
    if membership_in(actor, organization.pk) is None:
        raise PermissionDenied
    if category not in categories_for(organization):
        raise ValidationError(_("Your organisation cannot post in this category."))


def _store_attachment(post: Post, upload) -> None:
    content_type = uploads.validate_upload(upload, allowed=ATTACHMENT_TYPES)
    stored = uploads.store(post.attachment, upload, content_type)
    post.attachment_name = uploads.original_name(upload, stored)
    post.attachment_type = content_type


def post_create(*, actor, organization: Organization, data: dict, upload=None, confirmed=()) -> Post:
    values = _values(data)
    _check_writer(actor, organization, values["category"])
    kept = _guard(values, confirmed)
    with transaction.atomic():
        post = Post(organization=organization, author=actor, confirmed_findings=kept, **values)
        if upload is not None:
            _store_attachment(post, upload)
        post.save()
        audit.record(actor=actor, action="news.create", obj=post, details={"kept_findings": len(kept)})
    return post


def post_update(
    *,
    actor,
    post: Post,
    data: dict,
    based_on_version: int,
    upload=None,
    remove_attachment=False,
    confirmed=(),
) -> Post:
    values = _values(data)
    _check_writer(actor, post.organization, values["category"])
    kept = _guard(values, set(confirmed) | set(post.confirmed_findings))
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if not locked.is_editable:
            raise InvalidTransition(_("This post is no longer a draft and cannot be changed."))
        moved = any(
            values[k] != getattr(locked, k) for k in ("event_starts_at", "event_ends_at", "event_place")
        )
        for name, value in values.items():
            setattr(locked, name, value)
        if remove_attachment and locked.attachment:
            locked.attachment.delete(save=False)
            locked.attachment_name = locked.attachment_type = ""
        if upload is not None:
            _store_attachment(locked, upload)
        locked.confirmed_findings = kept
        locked.version += 1
        locked.sequence += int(moved)
        locked.save()
        audit.record(actor=actor, action="news.update", obj=locked, details={"kept_findings": len(kept)})
    return locked


def _decide(post: Post, actor, action: str, comment: str = "") -> Decision:
    return Decision.objects.create(post=post, actor=actor, action=action, comment=comment)


def _lock_in(post: Post, *statuses: str) -> Post:
    locked = Post.objects.select_for_update().select_related("organization", "author").get(pk=post.pk)
    if locked.status not in statuses:
        raise InvalidTransition(_("This post has already been dealt with. Reload the page to see its state."))
    return locked


def _publish(locked: Post, now) -> None:
    locked.status = Post.Status.PUBLISHED
    locked.published_at = now
    if locked.publish_from is None or locked.publish_from < now:
        locked.publish_from = now
    if locked.publish_until is not None and locked.publish_until <= locked.publish_from:
        raise InvalidTransition(_("The end of publication has already passed. Change it first."))


def post_submit(*, actor, post: Post) -> Post:
    """Send a draft for review; the secretariat's own posts are published at once."""
    if membership_in(actor, post.organization_id) is None:
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock_in(post, Post.Status.DRAFT, Post.Status.RETURNED)
        if open_findings({k: getattr(locked, k) for k in GUARDED_FIELDS}, set(locked.confirmed_findings)):
            raise InvalidTransition(
                _("The text holds personal data that was not confirmed. Edit the post first.")
            )
        now = timezone.now()
        if locked.organization.kind == Organization.Kind.SECRETARIAT:
            _publish(locked, now)
            _decide(locked, actor, Decision.Action.PUBLISHED)
        else:
            locked.status = Post.Status.SUBMITTED
            _decide(locked, actor, Decision.Action.SUBMITTED)
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action=f"news.{locked.status}", obj=locked)
        if locked.status == Post.Status.SUBMITTED:
            url = reverse("news:manage_detail", args=[locked.pk])
            for person in coordinators():
                outbox.notify(
                    user=person,
                    title=_("A news post awaits review: %(t)s") % {"t": locked.title},
                    url=url,
                    email=False,
                )
    return locked


def _require_coordinator(actor) -> None:
    if not is_coordinator(actor):
        raise PermissionDenied


def _tell_author(post: Post, title: str, comment: str = "") -> None:
    outbox.notify(
        user=post.author,
        title=title % {"t": post.title},
        body=comment,
        url=reverse("news:manage_detail", args=[post.pk]),
    )


def post_approve(*, actor, post: Post) -> Post:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _lock_in(post, Post.Status.SUBMITTED)
        _publish(locked, timezone.now())
        locked.version += 1
        locked.save()
        _decide(locked, actor, Decision.Action.APPROVED)
        audit.record(actor=actor, action="news.approve", obj=locked)
        _tell_author(locked, _("Your news post was published: %(t)s"))
    return locked


def post_return(*, actor, post: Post, comment: str) -> Post:
    _require_coordinator(actor)
    if not comment.strip():
        raise ValidationError(_("Say what should change."))
    with transaction.atomic():
        locked = _lock_in(post, Post.Status.SUBMITTED)
        locked.status = Post.Status.RETURNED
        locked.version += 1
        locked.save()
        _decide(locked, actor, Decision.Action.RETURNED, comment)
        audit.record(actor=actor, action="news.return", obj=locked)
        _tell_author(locked, _("Your news post was returned for changes: %(t)s"), comment)
    return locked


def post_reject(*, actor, post: Post, comment: str) -> Post:
    _require_coordinator(actor)
    if not comment.strip():
        raise ValidationError(_("Say why the post is not published."))
    with transaction.atomic():
        locked = _lock_in(post, Post.Status.SUBMITTED, Post.Status.PUBLISHED)
        locked.status = Post.Status.REJECTED
        locked.pinned = locked.urgent = False
        locked.version += 1
        locked.save()
        _decide(locked, actor, Decision.Action.REJECTED, comment)
        audit.record(actor=actor, action="news.reject", obj=locked)
        _tell_author(locked, _("Your news post will not be published: %(t)s"), comment)
    return locked


def post_flags(*, actor, post: Post, pinned: bool, urgent: bool) -> Post:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _lock_in(post, Post.Status.PUBLISHED, Post.Status.SUBMITTED)
        locked.pinned, locked.urgent = pinned, urgent
        locked.save(update_fields=["pinned", "urgent", "updated_at"])
        _decide(locked, actor, Decision.Action.FLAGS)
        audit.record(
            actor=actor, action="news.flags", obj=locked, details={"pinned": pinned, "urgent": urgent}
        )
    return locked
