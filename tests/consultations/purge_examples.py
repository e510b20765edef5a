"""Builders for the generic purge completeness test: ``EXAMPLES[kind](marker)`` makes a record of
that purge kind through the services, with ``marker`` in every text field a person fills in."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import User
from portal.consultations import services
from portal.consultations.models import Relation, Resident


def _counsellor():
    return User.objects.filter(email="purge-counsellor@example.jp").first() or User.objects.create_user(
        email="purge-counsellor@example.jp", password=None, display_name="相談員"
    )


def _resident(nickname: str, email: str) -> Resident:
    resident = Resident(
        user_number=services.new_user_number(),
        nickname=nickname[:30],
        prefecture="東京都",
        age_band="20s",
        withdrawal="u3y",
        email=email,
        email_verified_at=timezone.now(),
    )
    resident.set_password("purge-example-password")
    resident.save()
    return resident


def build_thread(marker: str):
    counsellor = _counsellor()
    resident = _resident("そら", f"thread-{services.new_user_number().lower()}@example.jp")
    thread = services.thread_create(
        resident=resident, subject=marker[:60], body=f"{marker} 本文", relation=Relation.PERSON
    )
    services.resident_write(resident=resident, thread=thread, body=f"{marker} 追記")
    services.note_add(actor=counsellor, thread=thread, body=f"{marker} メモ")
    thread = services.draft_save(
        actor=counsellor, thread=thread, body=f"{marker} 返信", based_on_version=thread.draft_version
    )
    services.reply_send(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    thread = type(thread).objects.get(pk=thread.pk)
    thread = services.draft_save(
        actor=counsellor, thread=thread, body=f"{marker} 下書き", based_on_version=thread.draft_version
    )
    return thread


def build_record(marker: str):
    values = {
        "method": "phone",
        "date": timezone.localdate() - dt.timedelta(days=1),
        "duration_minutes": 20,
        "relation": "family",
        "age_band": "30s",
        "withdrawal": "u5y",
        "prefecture": "東京都",
        "topics": ["family"],
        "referral": "window",
        "nickname": marker[:30],
        "booking_reference": marker[:40],
        "summary": f"{marker} 相談の内容",
    }
    confirmed = [
        services.pii.finding_key(field, f)
        for field, items in services.guard_findings(values).items()
        for f in items
    ]
    return services.record_create(actor=_counsellor(), values=values, confirmed=confirmed)


def build_resident(marker: str):
    resident = _resident(marker[:30], f"{marker.lower()[:40]}@example.jp")
    thread = services.thread_create(
        resident=resident, subject=marker[:60], body=marker, relation=Relation.PERSON
    )
    counsellor = _counsellor()
    thread = services.draft_save(actor=counsellor, thread=thread, body="お返事です", based_on_version=1)
    services.reply_send(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    return resident


EXAMPLES = {
    "consultations.thread": build_thread,
    "consultations.record": build_record,
    "consultations.resident": build_resident,
}


# Text fields the portal fills itself: no one types into them (tests/core/test_purge_completeness.py).
GENERATED = {
    "consultations.Resident.user_number": "the random 利用者番号 the portal issues",
    "consultations.Resident.password": "the password's hash",
    "consultations.Record.topics": "topic codes chosen from a list",
}
