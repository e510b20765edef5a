"""Issue 15: many municipal staff book the same 巡回相談 slot at the same moment.

Every client POSTs the booking form of one existing slot of a published day through the running
server (bench/run.py's bounded threaded WSGI server, real sessions and CSRF). Exactly one booking
may come out; every other client must be told on the form that the slot was taken (not an invalid
choice, not a server error). Needs PostgreSQL (DATABASE_URL); SQLite serialises writers and proves
nothing. Registered in bench/run.py as BENCH_ONLY=outreach; ``bench`` is that module (its helpers).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

TAKEN = "この枠は直前に他の区市町村が予約しました"


def _published_day(coordinator, organization, fiscal_year: int):
    from portal.accounts.models import Membership
    from portal.outreach import services

    host_staff = Membership.objects.filter(organization=organization, is_active=True).first().user
    plan = services.plan_create(actor=coordinator, fiscal_year=fiscal_year)
    host = services.host_add(
        actor=coordinator,
        plan=plan,
        organization=organization,
        dates=[dt.date(fiscal_year, 6, 10), dt.date(fiscal_year, 6, 17)],
    )
    host = services.host_save(
        actor=host_staff,
        host=host,
        data={
            "facility_name": "ベンチ市福祉会館",
            "facility_address": "ベンチ市本町（市の施設）",
            "contact_name": "福祉課 相談担当",
            "application_deadline": dt.date(fiscal_year, 6, 3),
        },
        based_on_version=host.version,
        agree=True,
    )
    host = services.host_publish(actor=coordinator, host=host)
    return host.days.order_by("date").first()


def outreach_slot_race(bench, clients: int = 200) -> dict:
    from django.db import connection

    from portal.accounts.models import Organization, User
    from portal.core.dates import fiscal_year_of
    from portal.core.models import Reservation
    from portal.outreach.models import SlotBooking

    if connection.vendor != "postgresql":
        return {
            "outreach_slot_race_confirmed": {"value": None, "unit": "skipped: set DATABASE_URL to PostgreSQL"}
        }
    coordinator = User.objects.get(email="coordinator@example.jp")
    host_org = Organization.objects.get(kind="municipality", name="八王子市")
    day = _published_day(coordinator, host_org, fiscal_year_of() + 5)
    slot = day.slots.order_by("number").first()
    users = bench._race_users(clients)
    cookies = [
        (cookie, user.memberships.get().organization_id)
        for cookie, user in zip(bench._session_cookies(users), users, strict=True)
    ]

    server = bench._running_server(queue=1024)
    url = f"http://127.0.0.1:{server.server_port}/outreach/days/{day.pk}/book/"
    outcome: list[str] = []
    barrier = threading.Barrier(clients)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def client(cookie, org_id):
        body = urllib.parse.urlencode(
            {
                "slot": slot.pk,
                "initial": "Aさん",
                "relationship": "parent",
                "age_band": "20s",
                "resident_municipality": org_id,
                "contact_route": "窓口から電話で連絡",
                "topic": "家族としての関わり方を相談したい。",
            }
        ).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Cookie": cookie, "X-CSRFToken": "b" * 32, "Referer": url},
        )
        barrier.wait()
        try:
            response = opener.open(request, timeout=120)
            status, text = response.status, response.read().decode()
            location = response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, text, location = exc.code, "", exc.headers.get("Location", "")
        except OSError:  # refused / reset: counted, never silently dropped
            outcome.append("connection-failed")
            return
        if status >= 500:
            outcome.append("5xx")
        elif status == 302 and "/outreach/bookings/" in location:
            outcome.append("booked")
        elif status == 200 and TAKEN in text:
            outcome.append("told-taken")
        else:
            outcome.append(f"status-{status}")

    threads = [threading.Thread(target=client, args=c) for c in cookies]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = (time.perf_counter() - began) * 1000
    server.shutdown()

    confirmed = SlotBooking.objects.filter(slot=slot, status="confirmed").count()
    reserved = Reservation.objects.filter(resource__key=slot.capacity_key, status="booked").count()
    known = ("booked", "told-taken", "5xx", "connection-failed")
    return {
        "outreach_slot_race_confirmed": {
            "value": confirmed,
            "unit": f"bookings of one slot by {clients} municipal staff at once",
        },
        "outreach_slot_race_reservations": {
            "value": reserved,
            "unit": "seats the capacity engine gave for that slot",
        },
        "outreach_slot_race_booked_answers": {
            "value": outcome.count("booked"),
            "unit": "clients sent to their booking",
        },
        "outreach_slot_race_told_taken": {
            "value": outcome.count("told-taken"),
            "unit": "clients told on the form that the slot was taken",
        },
        "outreach_slot_race_5xx": {"value": outcome.count("5xx"), "unit": "server errors"},
        "outreach_slot_race_failed_connections": {
            "value": outcome.count("connection-failed"),
            "unit": "connections refused/reset",
        },
        "outreach_slot_race_other": {
            "value": sum(1 for o in outcome if o not in known),
            "unit": f"other answers {sorted(set(o for o in outcome if o not in known))}",
        },
        "outreach_slot_race_ms": {"value": round(elapsed, 1), "unit": "ms for all clients"},
    }
