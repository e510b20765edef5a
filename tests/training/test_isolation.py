"""Training lists show another organisation's user none of our rows: the organisation overview,
a member's transcript, the session page's own-organisation list. Lists cost the same queries at
1 and at many rows, and the rows are on the page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.training import services
from portal.training.models import Completion, Course

from ..factories import MembershipFactory
from ..queries import page as _page
from .conftest import make_session

pytestmark = pytest.mark.django_db


def _staff(org, name):
    return MembershipFactory(organization=org, user__display_name=name).user


def _complete(user, org, code):
    course = Course.objects.create(
        fiscal_year=2025,
        code=code,
        track="supporters",
        title=f"研修{code}",
        format="online",
        audience=["municipality"],
    )
    return Completion.objects.create(course=course, user=user, organization=org, completed_at=timezone.now())


def test_organization_overview_shows_only_the_admins_organisation(
    client, coordinator, intro, admin_a, admin_b, org_a, org_b
):
    session = make_session(coordinator, intro, capacity=100)
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(counter)
            services.register(actor=_staff(org_a, f"甲市職員{i:03d}"), session=session)
            services.register(actor=_staff(org_b, f"乙区職員{i:03d}"), session=session)

    client.force_login(admin_a)
    add(1)
    client.get(reverse("training:organization"))  # warm process-wide caches
    one, one_queries = _page(client, reverse("training:organization"))
    add(30)
    many, many_queries = _page(client, reverse("training:organization"))
    assert one.count("甲市職員") == 1 and many.count("甲市職員") == 31
    assert "乙区職員" not in one and "乙区職員" not in many
    assert one_queries == many_queries
    client.force_login(admin_b)
    theirs, _queries = _page(client, reverse("training:organization"))
    assert theirs.count("乙区職員") == 31 and "甲市職員" not in theirs


def test_transcript_of_a_shared_member_shows_only_what_the_admin_administers(
    client, coordinator, intro, admin_a, admin_b, org_a, org_b
):
    learner = _staff(org_b, "兼務 花子")
    session = make_session(coordinator, intro, capacity=10, label="乙区として申込んだ回")
    services.register(actor=learner, session=session)  # for 乙区, the only organisation so far
    _complete(learner, org_b, "b-only")
    MembershipFactory(organization=org_a, user=learner)  # now also works for 甲市
    _complete(learner, org_a, "a-only")
    url = reverse("training:member_transcript", args=[learner.pk])

    client.force_login(admin_a)
    page, _queries = _page(client, url)
    assert "研修a-only" in page
    assert "研修b-only" not in page and "乙区として申込んだ回" not in page and intro.title not in page

    client.force_login(admin_b)
    page, _queries = _page(client, url)
    assert "研修b-only" in page and intro.title in page
    assert "研修a-only" not in page

    client.force_login(learner)
    page, _queries = _page(client, reverse("training:transcript"))
    assert "研修a-only" in page and "研修b-only" in page and intro.title in page


def test_session_page_lists_only_the_admins_own_organisation(
    client, coordinator, intro, admin_a, admin_b, org_a, org_b
):
    session = make_session(coordinator, intro, capacity=10)
    services.register(actor=_staff(org_a, "甲市 一郎"), session=session)
    services.register(actor=_staff(org_b, "乙区 次郎"), session=session)
    client.force_login(admin_b)
    page, _queries = _page(client, reverse("training:session_detail", args=[session.pk]))
    assert "乙区 次郎" in page and "甲市 一郎" not in page
    client.force_login(admin_a)
    page, _queries = _page(client, reverse("training:session_detail", args=[session.pk]))
    assert "甲市 一郎" in page and "乙区 次郎" not in page


def test_certificate_of_another_organisation_is_404_and_of_a_colleague_403(
    client, coordinator, admin_a, admin_b, member_a, org_a
):
    certificate = services.issue_certificate(_complete(member_a, org_a, "cert"))
    url = reverse("training:certificate_download", args=[certificate.pk])
    client.force_login(admin_b)
    assert client.get(url).status_code == 404
    client.force_login(_staff(org_a, "同僚"))
    assert client.get(url).status_code == 403
    client.force_login(admin_a)
    assert client.get(url).status_code == 200
    client.force_login(member_a)
    assert client.get(url).status_code == 200
