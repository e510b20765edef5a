"""The public entrance's first section: for people who are struggling and their families, before
the professionals' links. One tap to 相談方法."""

from portal.core.views import entrance_section

from .models import FREE_DIAL


@entrance_section
def for_residents(request):
    return {"template": "residents/entrance.html", "position": "top", "free_dial": FREE_DIAL}
