"""Purge builders for 訪問相談 and 巡回相談: a referral through interview, home visits, an extension
and closing (and one declined), and a booking through its record, with the marker in every text a
person can write, made through the services as the people would."""

import datetime as dt

import time_machine
from django.utils import timezone

from portal.outreach import services
from portal.outreach.models import SlotBooking, VisitReferral

from ..purge_people import people
from .conftest import REFERRAL, plan_dates, plan_year

PHONE = "090-1234-5678"


def _confirming(call, **kwargs):
    """Submit once, then again confirming every finding of the guard (the phone number)."""
    try:
        return call(**kwargs)
    except services.PersonalDataFound as found:
        from portal.core import pii

        keys = {pii.finding_key(f, x) for f, items in found.findings.items() for x in items}
        return call(**kwargs, confirmed=keys)


def _referral_data(marker: str) -> dict:
    return {
        **REFERRAL,
        "pseudonym": f"{marker}さん",
        "is_exception": True,
        "exception_reason": f"例外の理由 {marker}",
        "household": f"母と二人暮らし。母の携帯{PHONE}。{marker}",
        "tried": f"保健師が母と面談 {marker}",
        "preferred_times": f"平日の午後 {marker}",
    }


def build_referral(marker: str) -> list[VisitReferral]:
    p = people()
    data = _referral_data(marker)
    referral = _confirming(services.referral_submit, actor=p.member, organization=p.municipality, data=data)
    referral = services.referral_triage(
        actor=p.coordinator, referral=referral, decision="more", note=f"同居家族を教えて {marker}"
    )
    referral = _confirming(
        services.referral_resubmit,
        actor=p.member,
        referral=referral,
        data=data,
        based_on_version=referral.version,
    )
    referral = services.referral_triage(actor=p.coordinator, referral=referral, decision="accept")
    interview_at = timezone.now() + dt.timedelta(days=2)
    referral = services.referral_schedule_interview(
        actor=p.coordinator, referral=referral, starts_at=interview_at, place=f"区役所 {marker}"
    )
    with time_machine.travel(interview_at + dt.timedelta(days=1), tick=False):
        referral = services.referral_interview_outcome(
            actor=p.coordinator,
            referral=referral,
            visit=True,
            note=f"面接の結果 {marker}",
            for_municipality=f"区への連絡 {marker}",
        )
        services.visit_add(
            actor=p.coordinator,
            referral=referral,
            visited_on=timezone.localdate(),
            staff=[p.coordinator],
            record=f"訪問の記録 {marker}",
            shared=True,
        )
        referral = services.referral_extend(actor=p.coordinator, referral=referral, reason=f"延長 {marker}")
        referral = services.referral_close(actor=p.coordinator, referral=referral, note=f"終結 {marker}")

    declined = _confirming(services.referral_submit, actor=p.member, organization=p.municipality, data=data)
    declined = services.referral_triage(
        actor=p.coordinator, referral=declined, decision="decline", note=f"対象外 {marker}"
    )
    return [referral, declined]


def build_booking(marker: str) -> list[SlotBooking]:
    from .conftest import agree

    p = people()
    plan = services.plan_create(actor=p.coordinator, fiscal_year=plan_year())
    host = services.host_add(actor=p.coordinator, plan=plan, organization=p.municipality, dates=plan_dates())
    host = services.host_publish(actor=p.coordinator, host=agree(host, p.member))
    day = host.days.order_by("date").first()
    slot = day.slots.order_by("number").first()
    booking = _confirming(
        services.booking_create,
        actor=p.member,
        organization=p.municipality,
        day=day,
        slot=slot,
        data={
            "initial": marker,
            "relationship": "parent",
            "age_band": "20s",
            "resident_municipality": p.municipality,
            "contact_route": f"区の窓口から電話 {marker}",
            "topic": f"息子のこと。母の携帯{PHONE}。{marker}",
        },
    )
    with time_machine.travel(slot.ends_at + dt.timedelta(hours=1), tick=False):
        booking = services.booking_record(
            actor=p.coordinator, booking=booking, outcome="referred", referred_to=f"保健所 {marker}"
        )
    return [booking]


EXAMPLES = {"outreach.referral": build_referral, "outreach.booking": build_booking}
UNREACHABLE: dict[str, dict[str, str]] = {}
