"""What the case pages say: Japanese labels for kinds, fields, statuses and reads; no codes."""

import pytest
from django.urls import reverse

from portal.casereviews import services

from .conftest import CLEAN_CASE


@pytest.fixture
def confirmed_case(org_a, member_a):
    case = services.case_create(
        actor=member_a,
        organization=org_a,
        data={**CLEAN_CASE, "history": "山田太郎さんの母から相談があった。"},
    )
    with pytest.raises(services.PersonalDataFound) as found:
        services.case_submit(actor=member_a, case=case)
    (finding,) = found.value.findings["history"]
    return services.case_submit(
        actor=member_a, case=case, confirmed={services.finding_key("history", finding)}
    )


@pytest.mark.django_db
def test_kept_findings_show_japanese_field_and_kind_labels(client, coordinator, confirmed_case):
    client.force_login(coordinator)

    page = client.get(reverse("casereviews:case_detail", args=[confirmed_case.pk])).content.decode()

    assert "history: name" not in page and "history：name" not in page
    assert "生活歴・経過：人名" in page


@pytest.mark.django_db
def test_guard_labels_each_finding_in_japanese(client, org_a, member_a):
    client.force_login(member_a)
    data = {**CLEAN_CASE, "history": "〒192-0001 に住む。", "action": "submit", "version": ""}
    data["disciplines"] = CLEAN_CASE["disciplines"]

    page = client.post(reverse("casereviews:case_create"), data).content.decode()

    assert "（郵便番号）" in page and "postal_code" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["save", "submit"])
def test_empty_case_form_creates_nothing_and_says_why(client, org_a, member_a, action):
    from portal.casereviews.models import Case

    client.force_login(member_a)
    empty = {"age_band": "unknown", "gender": "other", "urgency": "normal", "action": action, "version": ""}

    response = client.post(reverse("casereviews:case_create"), empty)

    assert response.status_code == 200
    assert "まだ何も入力されていないため、ケースは作成されていません" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_failed_submission_of_a_new_case_stores_nothing_and_keeps_the_input(client, org_a, member_a):
    from portal.casereviews.models import Case

    client.force_login(member_a)
    data = {**CLEAN_CASE, "question": "", "action": "submit", "version": ""}

    page = client.post(reverse("casereviews:case_create"), data).content.decode()

    assert not Case.objects.exists()
    assert CLEAN_CASE["history"] in page  # what was typed stays in the form
    assert 'action="' not in page.split('id="case-form"')[1].split(">")[0]  # posts to the new-case page again


@pytest.fixture
def case_on_agenda(org_a, member_a, coordinator, meeting):
    from .conftest import submitted_case

    return services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )


@pytest.mark.django_db
def test_advice_form_says_who_writes_which_part(client, case_on_agenda, panel_expert):
    client.force_login(type(panel_expert).objects.get(pk=panel_expert.pk))

    page = client.get(reverse("casereviews:advice_edit", args=[case_on_agenda.pk])).content.decode()

    assert "この欄はあなたが記載します。" in page
    assert "専門チームの法律の専門家が記載します" in page
    assert "会議での検討をもとに事務局（コーディネーター）が記載します" in page


@pytest.mark.django_db
def test_empty_advice_save_is_refused_and_creates_no_revision(client, case_on_agenda, panel_expert):
    from portal.casereviews.models import AdviceRevision

    client.force_login(type(panel_expert).objects.get(pk=panel_expert.pk))
    url = reverse("casereviews:advice_edit", args=[case_on_agenda.pk])

    response = client.post(url, {"medical": "", "version": 0}, follow=True)

    page = response.content.decode()
    assert "何も入力・変更されていないため、保存していません。" in page
    assert "保存しました" not in page
    assert not AdviceRevision.objects.exists()


@pytest.mark.django_db
def test_case_history_and_readers_use_japanese_labels_and_the_readers_organisation(
    client, org_a, member_a, coordinator, secretariat
):
    from django.utils import translation

    from portal.casereviews.models import Case

    from .conftest import submitted_case

    case = submitted_case(org_a, member_a)
    services.case_return(actor=coordinator, case=case, comment="追記を")
    client.force_login(coordinator)

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()

    with translation.override("ja"):
        returned = str(Case.Status.RETURNED.label)
        submitted = str(Case.Status.SUBMITTED.label)
    assert f"{submitted} → {returned}" in page
    assert "submitted → returned" not in page and "case.view" not in page
    assert f"（{secretariat.name}）：ケースを閲覧" in page
