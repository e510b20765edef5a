"""The Atom feeds (overall and per category) and the ICS of upcoming events."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.core.calendars import CalendarEvent, build_ics
from portal.core.text import without_controls

from . import selectors
from .models import Post


class NewsFeed(Feed):
    """Every text goes through ``without_controls``: XML cannot hold control characters, and a
    post stored before forms cleaned them must not break the feed."""

    feed_type = Atom1Feed

    def get_object(self, request, category: str = ""):
        if category and category not in Post.Category.values:
            raise Http404
        return category

    def title(self, category):
        site = _("Tokyo Hikikomori Support Net")
        if category:
            return f"{site} {Post.Category(category).label}"
        return f"{site} {_('News and notices')}"

    def subtitle(self, category):
        return _("News, notices and events of the Tokyo Hikikomori Support Net and its partners.")

    def link(self, category):
        url = reverse("news:list")
        return f"{url}?category={category}" if category else url

    def items(self, category):
        return selectors.feed_items(category)

    def item_title(self, item: Post):
        return without_controls(item.title)

    def item_description(self, item: Post):
        from .views import body_html

        return without_controls(body_html(item))

    def item_link(self, item: Post):
        return reverse("news:detail", args=[item.pk])

    def item_pubdate(self, item: Post):
        return item.publish_from

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post):
        return without_controls(str(item.organization))

    def item_categories(self, item: Post):
        return [str(item.get_category_display())]


def calendar_events(posts) -> list[CalendarEvent]:
    from django.conf import settings

    events = []
    for post in posts:
        end = post.event_ends_at or post.event_starts_at + dt.timedelta(hours=2)
        location = post.event_place or (_("Online") if post.event_online else "")
        events.append(
            CalendarEvent(
                uid=f"news-{post.pk}@hikikomori-support-net",
                start=post.event_starts_at,
                end=end,
                summary=post.title,
                description=f"{post.organization}",
                location=location,
                url=settings.SITE_URL + reverse("news:detail", args=[post.pk]),
                sequence=post.sequence,
            )
        )
    return events


def events_ics(posts) -> str:
    return build_ics(*calendar_events(posts), method="PUBLISH")
