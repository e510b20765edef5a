"""What the outreach screens answer when things happen between showing a page and posting it."""

import datetime as dt

from django.urls import reverse

from .conftest import BOOKING, book


def test_booking_a_slot_taken_since_the_page_was_shown_says_so_and_keeps_the_input(
    client, day, member_a, member_b, org_a, org_b
):
    slot = day.slots.order_by("number").first()
    book(member_b, org_b, day, slot)
    client.force_login(member_a)

    response = client.post(
        reverse("outreach:booking_create", args=[day.pk]),
        {**BOOKING, "resident_municipality": org_a.pk, "slot": slot.pk},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "この枠は直前に他の区市町村が予約しました" in html
    assert BOOKING["topic"] in html  # nothing typed is lost
    assert slot.bookings.filter(status="confirmed").count() == 1


def test_a_stale_host_save_shows_both_versions_side_by_side_and_keeps_the_input(
    client, host, member_a, coordinator
):
    from .conftest import agree

    shown_version = host.version
    agree(host, coordinator, facility_name="甲市福祉会館（事務局が保存）")
    client.force_login(member_a)

    response = client.post(
        reverse("outreach:host_edit", args=[host.pk]),
        {
            "version": shown_version,
            "facility_name": "甲市青少年センター",
            "facility_address": "甲市本町1-1",
            "room": "第1相談室",
            "access": "甲駅から徒歩5分",
            "barrier_free": "エレベーターあり",
            "contact_name": "福祉課 担当者",
            "contact_department": "福祉課",
            "application_deadline": (host.days.first().date - dt.timedelta(days=7)).isoformat(),
            "action": "save",
        },
    )

    assert response.status_code == 200
    rows = response.context["conflict"]
    assert [(r["label"], r["theirs"], r["yours"]) for r in rows] == [
        ("会場", "甲市福祉会館（事務局が保存）", "甲市青少年センター")
    ]
    html = response.content.decode()
    assert 'class="conflict"' in html and "甲市福祉会館（事務局が保存）" in html
    assert 'value="甲市青少年センター"' in html  # the typed input stays in the form
    host.refresh_from_db()
    assert host.facility_name == "甲市福祉会館（事務局が保存）"  # nothing overwritten
    assert f'name="version" value="{host.version}"' in html  # the next save is checked against it


def test_a_stale_referral_completion_shows_both_versions(client, member_a, org_a, coordinator):
    from portal.outreach import services

    from .conftest import REFERRAL, refer

    referral = services.referral_triage(
        actor=coordinator, referral=refer(member_a, org_a), decision="more", note="追記を"
    )
    shown_version = referral.version
    services.referral_resubmit(
        actor=member_a,
        referral=referral,
        data={**REFERRAL, "tried": "保健師が母と面談を3回。"},
        based_on_version=shown_version,
    )
    services.referral_triage(actor=coordinator, referral=referral, decision="more", note="もう一度")
    client.force_login(member_a)

    response = client.post(
        reverse("outreach:referral_edit", args=[referral.pk]),
        {
            **{k: v for k, v in REFERRAL.items() if not isinstance(v, bool)},
            "compulsory_education_done": "on",
            "lives_in_tokyo": "on",
            "consent_on": REFERRAL["consent_on"].isoformat(),
            "tried": "区の若者相談につないだ。",
            "version": shown_version,
        },
    )

    assert response.status_code == 200
    rows = {r["label"]: (r["theirs"], r["yours"]) for r in response.context["conflict"]}
    assert rows == {"これまでの対応": ("保健師が母と面談を3回。", "区の若者相談につないだ。")}
    assert "区の若者相談につないだ。" in response.content.decode()


def test_a_stale_day_save_shows_the_saved_staff_beside_the_typed_ones(
    client, day, coordinator, second_coordinator
):
    from portal.outreach import services

    shown_version = day.version
    services.day_update(
        actor=second_coordinator,
        day=day,
        based_on_version=shown_version,
        start=dt.time(10, 0),
        slot_count=6,
        slot_minutes=45,
        break_minutes=15,
        staff=[second_coordinator],
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("outreach:day_edit", args=[day.pk]),
        {
            "version": shown_version,
            "start": "10:00",
            "slot_count": 5,
            "slot_minutes": 45,
            "break_minutes": 15,
            "staff": [coordinator.pk],
        },
    )

    assert response.status_code == 200
    rows = {r["id"]: (r["theirs"], r["yours"]) for r in response.context["conflict"]}
    assert rows == {
        "id_slot_count": ("6", "5"),
        "id_staff_0": (str(second_coordinator), str(coordinator)),
    }
    day.refresh_from_db()
    assert day.slots.count() == 6 and list(day.staff.all()) == [second_coordinator]
