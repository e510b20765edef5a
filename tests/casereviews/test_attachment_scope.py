"""An attachment is served only through the case it belongs to: another case's file id under a
case one may read is a 404, as if it did not exist."""

import pytest
from django.urls import reverse

from portal.casereviews import services

from .conftest import CLEAN_CASE, png_upload

pytestmark = pytest.mark.django_db


def test_another_cases_attachment_is_not_served_through_a_readable_case(
    client, org_a, org_b, member_a, admin_b
):
    own = services.case_create(
        actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[png_upload("own.png")]
    )
    foreign = services.case_create(
        actor=admin_b, organization=org_b, data=CLEAN_CASE, uploads_=[png_upload("other.png")]
    )
    foreign_file = foreign.attachments.get()
    client.force_login(member_a)

    mixed = client.get(reverse("casereviews:case_attachment", args=[own.pk, foreign_file.pk]))
    own_file = client.get(reverse("casereviews:case_attachment", args=[own.pk, own.attachments.get().pk]))

    assert mixed.status_code == 404
    assert own_file.status_code == 200
