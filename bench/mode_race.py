"""Issue 18: many people register at the same moment for one meeting with separate venue and online
places (30 at the venue, 50 online), each choosing a mode at random.

Every client POSTs the registration form through the running server (bench/run.py's bounded
threaded WSGI server, real sessions and CSRF). Each mode must fill to exactly its own capacity and
never beyond; everyone else waits in the queue of the mode they chose. Needs PostgreSQL
(DATABASE_URL); SQLite serialises writers and proves nothing. Registered in bench/run.py as
BENCH_ONLY=modes; ``bench`` is that module (its helpers).
"""

from __future__ import annotations

import datetime as dt
import random
import urllib.parse

VENUE, ONLINE = 30, 50


def mode_race(bench, clients: int = 500, venue: int = VENUE, online: int = ONLINE) -> dict:
    from django.db import connection
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.core import waitlist
    from portal.core.models import Reservation
    from portal.meetings import services as meetings
    from portal.meetings.models import Registration

    if connection.vendor != "postgresql":
        return {"mode_race_oversold": {"value": None, "unit": "skipped: set DATABASE_URL to PostgreSQL"}}
    coordinator = User.objects.get(email="coordinator@example.jp")
    now = timezone.now()
    event = meetings.event_create(
        actor=coordinator,
        kind="supporters",
        title="ベンチ家族セミナー（会場＋オンライン）",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=30, hours=2),
        venue="ベンチ会場",
        online_url="https://meet.example.jp/bench",
        audience=["municipality"],
        capacity=venue,
        online_capacity=online,
        per_organization=clients,
        registration_deadline=now + dt.timedelta(days=20),
        description="",
    )
    chooser = random.Random(18)  # the same split of modes on every run
    modes = [chooser.choice(("venue", "online")) for _ in range(clients)]
    cookies = bench._session_cookies(bench._race_users(clients))

    bodies = [urllib.parse.urlencode({"mode": mode}).encode() for mode in modes]
    statuses, elapsed = bench._post_all_at_once(f"/events/{event.pk}/register/", cookies, bodies)

    registrations = Registration.objects.filter(event=event)
    results: dict[str, dict] = {}
    for mode, seats in (("venue", venue), ("online", online)):
        chose = modes.count(mode)
        confirmed = registrations.filter(mode=mode, status="confirmed").count()
        booked = Reservation.objects.filter(
            resource__key=waitlist.mode_key(event.capacity_key, mode), status="booked"
        ).count()
        results[f"mode_race_{mode}_confirmed"] = {
            "value": confirmed,
            "unit": f"of {seats} {mode} places ({chose} of {clients} clients chose {mode})",
        }
        results[f"mode_race_{mode}_waitlisted"] = {
            "value": registrations.filter(mode=mode, status="waitlisted").count(),
            "unit": f"registrations waiting for a {mode} place",
        }
        results[f"mode_race_{mode}_oversold"] = {
            "value": max(0, confirmed - seats, booked - seats),
            "unit": f"{mode} seats beyond capacity (registrations and engine bookings)",
        }
    results["mode_race_5xx"] = {"value": sum(1 for s in statuses if s >= 500), "unit": "server errors"}
    results["mode_race_failed_connections"] = {
        "value": statuses.count(0),
        "unit": "connections refused/reset",
    }
    results["mode_race_ms"] = {"value": round(elapsed, 1), "unit": "ms for all clients"}
    return results
