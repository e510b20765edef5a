import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.meetings import services
from portal.meetings.models import PresentationProposal


@pytest.mark.django_db
def test_refused_registration_keeps_what_was_typed(event, admin_a, client):
    event.registration_deadline = event.starts_at - dt.timedelta(days=30)  # already closed
    event.save()
    client.force_login(admin_a)

    response = client.post(
        f"/events/{event.pk}/register/", {"mode": "online", "accessibility": "字幕が必要です"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "締め切りました" in body and "字幕が必要です" in body


@pytest.mark.django_db
def test_proposal_with_personal_data_keeps_the_text_and_says_why(event, admin_a, client):
    services.register(actor=admin_a, event=event)
    client.force_login(admin_a)

    response = client.post(
        f"/events/{event.pk}/propose/",
        {"title": "長期化ケースの訪問", "summary": "山田太郎さん（090-1234-5678）への訪問の工夫"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "長期化ケースの訪問" in body and "個人情報" in body and "電話番号" in body
    assert not PresentationProposal.objects.exists()


@pytest.mark.django_db
def test_proposal_with_a_file_through_the_form(event, admin_a, client):
    services.register(actor=admin_a, event=event)
    client.force_login(admin_a)

    client.post(
        f"/events/{event.pk}/propose/",
        {
            "title": "居場所の実践",
            "summary": "週2回の居場所の運営について",
            "file": SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
            "file_checked": "on",  # a PDF without text: the proposer confirms having checked it
        },
    )

    proposal = PresentationProposal.objects.get()
    assert proposal.file_name == "slides.pdf" and proposal.file_type == "application/pdf"


@pytest.mark.django_db
def test_event_deadline_after_start_is_a_form_error_keeping_input(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:event_create"),
        {
            "kind": "supporters",
            "title": "入力した交流会",
            "starts_at": "2027-01-20T14:00",
            "ends_at": "2027-01-20T16:00",
            "audience": ["municipality"],
            "capacity": 30,
            "per_organization": 5,
            "deadline_date": "2027-01-25",
            "deadline_time": "17:00",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "入力した交流会" in html
    assert "締切" in html


@pytest.mark.django_db
def test_refused_material_keeps_its_title(client, coordinator, event):
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:material_add", args=[event.pk]),
        {"material-title": "入力した資料名", "material-file": SimpleUploadedFile("a.pdf", b"not a pdf")},
    )
    assert response.status_code == 400
    assert "入力した資料名" in response.content.decode()
    assert not event.materials.exists()


@pytest.mark.django_db
def test_public_fair_page_query_count(client, coordinator):
    from ..factories import MembershipFactory, PartnerFactory
    from ..queries import assert_flat
    from .conftest import make_event

    fair = make_event(
        coordinator, kind="fair", title="合同相談会", audience=["partner"], capacity=40, per_organization=5
    )

    def exhibitors(n):
        for _ in range(n):
            org = PartnerFactory()
            application = services.exhibitor_apply(
                actor=MembershipFactory(organization=org).user,
                event=fair,
                organization=org,
                staff_count=2,
                offer="紹介",
            )
            services.exhibitor_decide(actor=coordinator, application=application, approve=True)

    assert_flat(client, reverse("meetings:fair_public", args=[fair.pk]), exhibitors)
