"""Run inside a Django process on one scale database (bench/scale.py starts it): prints JSON with
the ids the benchmark's pages need, a calendar-feed token for the bench expert, and the number of
queries each page makes (Django's test client, the body read to its end)."""

from __future__ import annotations

import json
import math
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def ids() -> dict:
    from django.db.models import Count
    from django.utils import timezone

    from portal.accounts.models import Organization, User
    from portal.casereviews.models import Case
    from portal.core import feeds
    from portal.core.dates import fiscal_year_of
    from portal.meetings.models import Event
    from portal.municipalities.models import Programme
    from portal.training.models import Session

    fy = fiscal_year_of(timezone.localdate())
    expert = User.objects.get(email="expert@scale.example.jp")
    closed = Case.objects.filter(status="closed").count()
    session = (
        Session.objects.filter(course__code__startswith="scale-")
        .annotate(n=Count("registrations"))
        .order_by("-n", "-starts_at")
        .first()
    )
    programme = Programme.objects.annotate(n=Count("sheets")).order_by("-n", "-fiscal_year").first()
    return {
        "fiscal_year": fy,
        "event": Event.objects.get(title="規模 合同相談会").pk,
        "session": session.pk,
        "programme": programme.pk,
        "closed_last_page": max(1, math.ceil(closed / 50)),
        "feed_token": feeds.feed_renew(actor=expert),
        "municipal_feed_token": feeds.feed_renew(actor=User.objects.get(email="municipal@scale.example.jp")),
        "big_municipality": Organization.objects.get(name="スケール市").pk,
    }


def count_queries(pages: list[dict]) -> dict:
    from portal.accounts.models import User

    counts = {}
    clients = {}
    for page in pages:
        role = page["role"]
        if role not in clients:
            client = Client()
            if role != "anonymous":
                user = User.objects.get(email=f"{role}@scale.example.jp")
                client.force_login(user)
                session = client.session
                membership = user.memberships.filter(is_active=True).first()
                if membership:
                    session["portal_active_org"] = membership.organization_id
                session.save()
            clients[role] = client
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(page["path"], secure=True)
            if response.streaming:
                for _ in response.streaming_content:
                    pass
            response.close()
        counts[page["name"]] = {"queries": len(queries), "status": response.status_code}
    return counts


def feed_polls(pages: list[dict], n: int = 30) -> dict:
    """Each personal feed in process: built afresh (the cache renewed before each request), answered
    from the kept body, and a repeated poll sending the ETag back (304): median and p95 in ms, and
    the queries of one request."""
    import statistics
    import time

    from portal.core import feeds

    def timed(path, headers=None, renew=False):
        samples, client = [], Client()
        client.get(path, secure=True)
        for _ in range(n):
            if renew:
                feeds.renew_all()
            began = time.perf_counter()
            response = client.get(path, secure=True, headers=headers or {})
            samples.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as queries:
            if renew:
                feeds.renew_all()
            response = client.get(path, secure=True, headers=headers or {})
        ordered = sorted(samples)
        return {
            "status": response.status_code,
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(ordered[min(n - 1, round(0.95 * (n - 1)))], 2),
            "queries": len(queries),
            "bytes": len(response.content),
        }

    out = {}
    for page in pages:
        if not page["path"].startswith("/calendar/feed/"):
            continue
        built = timed(page["path"], renew=True)
        kept = timed(page["path"])
        etag = Client().get(page["path"], secure=True)["ETag"]  # of the body kept now
        out[page["name"]] = {
            "built": built,
            "kept": kept,
            "poll_304": timed(page["path"], headers={"if_none_match": etag}),
        }
    return out


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "ids":
        print(json.dumps(ids()))
    elif command == "feeds":
        print(json.dumps(feed_polls(json.loads(sys.stdin.read()))))
    else:
        print(json.dumps(count_queries(json.loads(sys.stdin.read()))))
