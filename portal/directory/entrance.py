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
        "latest": list(news_selectors.latest(5)),
    }


@entrance_section
def urgent_notices(request):
    """Urgent notices go above everything else on the entrance."""
    urgent = list(news_selectors.urgent_notices()[:3])
    if not urgent:
        return None
    return {"template": "directory/entrance_urgent.html", "position": "top", "urgent": urgent}
