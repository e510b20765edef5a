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
