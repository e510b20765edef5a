"""Thin views of news: public lists, pages and feeds; members' drafts; the secretariat's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator
from portal.core import http, uploads
from portal.core.forms import rebase
from portal.guidebook.content import render as render_markdown
from portal.guidebook.content import resolve_figures

from . import feeds, permissions, selectors, services
from .forms import CommentForm, FlagsForm, PostEditForm, PostForm, validation_message
from .models import Post

PAGE_SIZE = 20


def body_html(post: Post) -> str:
    """The guidebook's sanitised Markdown; a post has no figures, so any image is dropped."""
    return resolve_figures(render_markdown(post.body), lambda _n: None)


# --- public --------------------------------------------------------------------------------


@require_GET
def news_list(request):
    category = request.GET.get("category", "")
    if category not in Post.Category.values:
        category = ""
    municipality = None
    code = request.GET.get("municipality", "")
    municipalities = list(selectors.municipalities_with_posts())
    if code:
        municipality = next((m for m in municipalities if m.code == code), None)
    month_text = request.GET.get("month", "")
    month = selectors.parse_month(month_text)
    if month_text and month is None:
        messages.error(request, _("Give the month as year and month, for example 2026-05."))
    posts = selectors.public_list(category=category, municipality=municipality, month=month)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/list.html",
        {
            "page": page,
            "categories": Post.Category.choices,
            "category": category,
            "municipalities": municipalities,
            "municipality": municipality,
            "month": month_text,
            "urgent": list(selectors.urgent_notices()[:3]),
        },
    )


@require_GET
def news_detail(request, pk):
    post = permissions.get_public_post(pk)
    return render(request, "news/detail.html", {"post": post, "body": body_html(post), "public": True})


@require_GET
def news_attachment(request, pk):
    post = permissions.get_public_post(pk)
    if not post.attachment:
        raise Http404
    return uploads.serve(post.attachment, filename=post.attachment_name, content_type=post.attachment_type)


@require_GET
def events_ics(request):
    return http.download(
        feeds.events_ics(selectors.upcoming_events()), http.ICS, "news-events.ics", inline=True
    )


# --- members -------------------------------------------------------------------------------


@login_required
def manage_list(request):
    permissions.require_writer(request.user)
    status = request.GET.get("status", "")
    if status not in Post.Status.values:
        status = ""
    page = Paginator(selectors.posts_for_member(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    coordinator = is_coordinator(request.user)
    return render(
        request,
        "news/manage_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Post.Status.choices,
            "queue": list(selectors.review_queue(request.user)) if coordinator else [],
            "can_write": bool(permissions.categories_for(getattr(request, "organization", None))),
        },
    )


def _findings_context(exc) -> list:
    return [
        (field, f, services.finding_key(field, f)) for field, items in exc.findings.items() for f in items
    ]


def _post_form(request, post: Post | None, organization: Organization):
    categories = permissions.categories_for(organization)
    form_class = PostEditForm if post else PostForm
    initial = {"version": post.version} if post else {}
    form = form_class(
        request.POST or None, request.FILES or None, instance=post, initial=initial, categories=categories
    )
    findings, current = [], None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in services.FIELDS}
        confirmed = set(request.POST.getlist("confirm"))
        upload = form.cleaned_data.get("attachment_upload")
        try:
            if post is None:
                saved = services.post_create(
                    actor=request.user,
                    organization=organization,
                    data=data,
                    upload=upload,
                    confirmed=confirmed,
                )
            else:
                saved = services.post_update(
                    actor=request.user,
                    post=post,
                    data=data,
                    based_on_version=form.cleaned_data["version"],
                    upload=upload,
                    remove_attachment=form.cleaned_data.get("remove_attachment", False),
                    confirmed=confirmed,
                )
        except services.PersonalDataFound as exc:
            findings = _findings_context(exc)
            messages.warning(
                request,
                _(
                    "The post may contain personal data. Remove it, or confirm each passage that "
                    "is meant to be public (for example the phone number of a venue)."
                ),
            )
        except services.StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this post in the meantime. Your input is kept below; the saved "
                    "version is shown beside it. Check both, then save again."
                ),
            )
            current = exc.current
            rebase(form, exc.current.version)
        except ValidationError as exc:
            form.add_error(None, validation_message(exc))
        else:
            messages.success(request, _("The post was saved as a draft."))
            return redirect("news:manage_detail", saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "news/post_form.html",
        {"form": form, "post": post, "organization": organization, "findings": findings, "current": current},
        status=status,
    )


@login_required
def post_create(request):
    permissions.require_writer(request.user)
    return _post_form(request, None, permissions.writing_organization(request))


@login_required
def post_edit(request, pk):
    post = permissions.get_post_for_owner(request.user, pk)
    if not post.is_editable:
        messages.info(request, _("This post is no longer a draft; it cannot be changed."))
        return redirect("news:manage_detail", post.pk)
    return _post_form(request, post, post.organization)


@login_required
def manage_detail(request, pk):
    post = permissions.get_post_for(request.user, pk)
    return render(
        request,
        "news/manage_detail.html",
        {
            "post": post,
            "body": body_html(post),
            "decisions": post.decisions.select_related("actor"),
            "is_owner": permissions.is_post_owner(request.user, post),
            "is_coordinator": is_coordinator(request.user),
            "comment_form": CommentForm(),
            "flags_form": FlagsForm(initial={"pinned": post.pinned, "urgent": post.urgent}),
        },
    )


@login_required
def manage_attachment(request, pk):
    post = permissions.get_post_for(request.user, pk)
    if not post.attachment:
        raise Http404
    return uploads.serve(post.attachment, filename=post.attachment_name, content_type=post.attachment_type)


@login_required
def post_submit(request, pk):
    """GET: what submitting will do; POST: submit (the secretariat's own posts publish at once)."""
    post = permissions.get_post_for_owner(request.user, pk)
    if request.method == "POST":
        try:
            post = services.post_submit(actor=request.user, post=post)
        except ValidationError as exc:
            messages.error(request, validation_message(exc))
        else:
            if post.status == Post.Status.PUBLISHED:
                messages.success(request, _("The post was published."))
            else:
                messages.success(request, _("The post was sent to the secretariat for review."))
        return redirect("news:manage_detail", post.pk)
    if not post.is_editable:
        return redirect("news:manage_detail", post.pk)
    return render(request, "news/submit_confirm.html", {"post": post, "body": body_html(post)})


@login_required
@require_POST
def post_approve(request, pk):
    post = permissions.get_post_for_coordinator(request.user, pk)
    try:
        services.post_approve(actor=request.user, post=post)
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
    else:
        messages.success(request, _("The post was published and its author told."))
    return redirect("news:manage_detail", post.pk)


def _with_comment(request, pk, service, done_message):
    post = permissions.get_post_for_coordinator(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, post=post, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, validation_message(exc))
        else:
            messages.success(request, done_message)
            return redirect("news:manage_detail", post.pk)
    else:
        messages.error(request, _("Write a comment to the author."))
    return render(
        request,
        "news/manage_detail.html",
        {
            "post": post,
            "body": body_html(post),
            "decisions": post.decisions.select_related("actor"),
            "is_owner": permissions.is_post_owner(request.user, post),
            "is_coordinator": True,
            "comment_form": form,
            "flags_form": FlagsForm(initial={"pinned": post.pinned, "urgent": post.urgent}),
        },
        status=400,
    )


@login_required
@require_POST
def post_return(request, pk):
    return _with_comment(request, pk, services.post_return, _("The post was returned and its author told."))


@login_required
@require_POST
def post_reject(request, pk):
    return _with_comment(
        request, pk, services.post_reject, _("The post will not be published; its author was told.")
    )


@login_required
@require_POST
def post_flags(request, pk):
    post = permissions.get_post_for_coordinator(request.user, pk)
    form = FlagsForm(request.POST)
    form.is_valid()
    try:
        services.post_flags(
            actor=request.user,
            post=post,
            pinned=form.cleaned_data.get("pinned", False),
            urgent=form.cleaned_data.get("urgent", False),
        )
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("news:manage_detail", post.pk)
