"""The public entrance's section of this app: upcoming public events, urgent notices and the
latest news, and the links to the directories."""

from portal.core.views import entrance_section
from portal.news import selectors as news_selectors

from . import selectors


@entrance_section
def news_and_directories(request):
    return {
        "template": "directory/entrance.html",
        "events": selectors.public_events()[:5],
        "urgent": list(news_selectors.urgent_notices()[:3]),
        "latest": list(news_selectors.latest(5)),
    }
