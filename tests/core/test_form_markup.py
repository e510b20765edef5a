"""Form markup the validators read: a radio group (also a widget derived from RadioSelect, such as
the triage's meeting picker) sits in a fieldset with a legend and has no empty label; two forms on
one page do not share ids."""

import pytest
from django.template.loader import render_to_string

from portal.casereviews.forms import AcceptForm
from portal.casereviews.models import Meeting
from portal.meetings.forms import MaterialForm, ProgrammeItemForm
from portal.partners.forms import DeclineForm, QuotaExceptionForm


@pytest.mark.django_db
def test_the_triage_meeting_picker_is_a_fieldset_with_a_legend():
    html = render_to_string(
        "components/field.html", {"field": AcceptForm(meetings=Meeting.objects.all())["meeting"]}
    )

    assert "<fieldset" in html and "<legend>" in html
    assert 'for=""' not in html


@pytest.mark.parametrize(
    ("one", "other"), [(MaterialForm, ProgrammeItemForm), (QuotaExceptionForm, DeclineForm)]
)
def test_forms_sharing_a_page_have_their_own_ids(one, other):
    ids = lambda form: {field.auto_id for field in form}  # noqa: E731 (a one-line helper)

    assert ids(one()) & ids(other()) == set()


def test_no_template_opens_a_form_inside_a_paragraph():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    inside = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for opened in re.finditer(r"<p(?:\s[^>]*)?>", text):
            rest = text[opened.end() :]
            closed, form = rest.find("</p>"), rest.find("<form")
            if form != -1 and (closed == -1 or form < closed):
                inside.append(str(path.relative_to(templates)))
    assert inside == [], "a <form> ends the <p> around it (invalid HTML): use a <div>"
