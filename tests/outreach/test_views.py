"""What the outreach screens answer when things happen between showing a page and posting it."""

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
