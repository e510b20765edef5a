"""Blind review hides the municipality in the forms people write it, gives experts neutral file
names (on the page and in the download's name), and warns the submitting staff about every place
their text or file names still name."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from portal.casereviews import blind, services

from ..factories import MembershipFactory, OrganizationFactory
from .conftest import CLEAN_CASE, png_upload, submit_confirming_every_finding

LABEL = "（非表示）"


@pytest.mark.parametrize(
    ("name", "kana", "text", "left"),
    [
        ("八王子市", "はちおうじし", "八王子市役所の窓口", "八王子"),
        ("八王子市", "はちおうじし", "八王子駅の近くに住む", "八王子"),
        ("八王子市", "はちおうじし", "八王子の実家に戻った", "八王子"),
        ("八王子市", "はちおうじし", "はちおうじの祭りが好き", "はちおうじ"),
        ("港区", "みなとく", "港の保健所に相談した", "港の"),
        ("港区", "みなとく", "港駅から歩く", "港駅"),
    ],
)
def test_every_usual_form_of_the_name_is_hidden(name, kana, text, left):
    hidden = blind.hide(text, name, LABEL, kana=kana)
    assert left not in hidden and LABEL in hidden


def test_a_one_character_stem_inside_a_word_is_left_alone():
    assert blind.hide("空港に勤めていた", "港区", LABEL, kana="みなとく") == "空港に勤めていた"


@pytest.mark.django_db
def test_expert_gets_neutral_attachment_names_and_no_form_of_the_name(
    client, coordinator, panel_expert, meeting
):
    city = OrganizationFactory(name="八王子市", kana="はちおうじし", code="132012")
    staff = MembershipFactory(organization=city, user__email="staff@hachioji.example.jp").user
    case = services.case_create(
        actor=staff,
        organization=city,
        data={**CLEAN_CASE, "blind_review": True, "history": "八王子駅の近くで、八王子の実家に住む。"},
        uploads_=[png_upload("八王子市_家系図.png")],
    )
    case = submit_confirming_every_finding(staff, case)
    case = services.case_schedule(
        actor=coordinator, case=services.case_accept(actor=coordinator, case=case), meeting=meeting
    )
    attachment = case.attachments.get()
    panel_expert.__dict__.pop("_portal_perm_cache", None)
    client.force_login(panel_expert)

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()
    download = client.get(reverse("casereviews:case_attachment", args=[case.pk, attachment.pk]))

    assert "八王子" not in page and "はちおうじ" not in page
    assert f"{case.reference}_添付資料1.png" in page
    disposition = unquote(download["Content-Disposition"])
    assert "八王子" not in disposition and "添付資料1.png" in disposition

    client.force_login(staff)
    own = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()
    assert "八王子市_家系図.png" in own  # the municipality sees its own file names
    assert "推測できる場合があります" in own and "「八王子駅」" not in own and "「八王子」" in own
