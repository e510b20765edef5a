"""`make bench`: timings of the foundation, written to bench/results.json as {name: {value, unit}}.

Runs against a throw-away SQLite database (or DATABASE_URL when set) with the reference and demo
data loaded, through Django's test client, so it measures the portal's own code path per request.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="portal-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings as _settings  # noqa: E402

# Files on disk, as in production (the test settings keep them in memory).
_settings.STORAGES = {
    **_settings.STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 3)


def main() -> None:
    from django.db import connection

    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    if "scale" in only:  # its own databases and servers (bench/scale.py), no test database
        sys.path.insert(0, str(ROOT / "bench"))
        from scale import scale_benchmark

        _write(scale_benchmark())
        if only == {"scale"}:
            return
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    _write(results)


def _write(results: dict) -> None:
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing.update(results)
    out.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    for name, item in results.items():
        value = item["value"]
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        print(f"{name:32} {str(shown):>12} {item['unit']}")


def run() -> dict:
    from django.http import Http404

    from portal.accounts import permissions, services
    from portal.accounts.demo import seed_demo
    from portal.accounts.models import Organization, User
    from portal.core import audit, outbox
    from portal.core.models import OutboundEmail
    from portal.municipalities.demo import seed_demo as seed_municipalities

    call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_demo()
    seed_municipalities()
    results: dict[str, dict] = {}
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))  # e.g. BENCH_ONLY=training
    if only:
        groups = {
            "training": lambda: {**training_registration_race_benchmark(), **certificates_benchmark()},
            "guidebook": lambda: guidebook_benchmarks(),
            "outreach": lambda: __import__("outreach_race").outreach_slot_race(sys.modules[__name__]),
            "modes": lambda: __import__("mode_race").mode_race(sys.modules[__name__]),
            "pii": lambda: pii_benchmarks(),
            "races": lambda: {
                **slot_race_benchmark(),
                **registration_race_benchmark(),
                **training_registration_race_benchmark(),
            },
        }
        for name in sorted(only - {"scale"}):
            results.update(groups[name]())
        return results

    def put(name, value, unit="ms"):
        results[name] = {"value": value, "unit": unit}

    anonymous = Client()
    put("login_page_ms", median_ms(lambda: anonymous.get("/accounts/login/"), 50))

    coordinator = User.objects.get(email="coordinator@example.jp")
    admin = User.objects.get(email="hachioji@example.jp")
    coord_client, admin_client = Client(), Client()
    coord_client.force_login(coordinator)
    admin_client.force_login(admin)
    put("dashboard_coordinator_ms", median_ms(lambda: coord_client.get("/"), 30))
    put("dashboard_org_admin_ms", median_ms(lambda: admin_client.get("/"), 30))
    put("organization_list_82_rows_ms", median_ms(lambda: coord_client.get("/organisations/"), 20))
    org = admin.memberships.get().organization
    put("organization_detail_ms", median_ms(lambda: admin_client.get(f"/organisations/{org.pk}/"), 30))

    other = Organization.objects.get(name="文京区")

    def foreign_lookup():
        admin.__dict__.pop("_portal_perm_cache", None)
        with contextlib.suppress(Http404):
            permissions.get_organization_for(admin, other.pk)

    put("permission_check_foreign_org_ms", median_ms(foreign_lookup, 200))

    start = time.perf_counter()
    for _ in range(500):
        audit.record(actor=admin, action="bench.event", obj=org)
    put("audit_records_per_s", round(500 / (time.perf_counter() - start)), "records/s")

    mails = []
    for i in range(300):
        mails.append(OutboundEmail.objects.create(to=f"b{i}@example.jp", subject="bench", body_text="x"))
    start = time.perf_counter()
    for m in mails:
        outbox.deliver(m.pk)
    rate = round(len(mails) / (time.perf_counter() - start))
    put("outbox_deliveries_per_s", rate, "emails/s (locmem backend)")

    start = time.perf_counter()
    services.load_reference_data()
    put("reference_data_reload_ms", round((time.perf_counter() - start) * 1000, 1))

    results.update(hearing_sheet_benchmarks(coord_client))
    results.update(pii_benchmarks())
    results.update(case_list_benchmarks(coord_client))
    results.update(slot_race_benchmark())
    results.update(registration_race_benchmark())
    results.update(training_registration_race_benchmark())
    results.update(__import__("outreach_race").outreach_slot_race(sys.modules[__name__]))
    results.update(certificates_benchmark())
    results.update(guidebook_benchmarks())
    return results


def _bounded_server(handler, base, *, queue: int, workers: int = 16):
    """A running server like production: a fixed pool of request workers (as gunicorn's threads),
    each closing its database connection after the request, and a listen queue for the rest."""
    import threading

    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    slots = threading.BoundedSemaphore(workers)

    class Server(base):
        request_queue_size = queue

        def process_request_thread(self, request, client_address):
            with slots:
                super().process_request_thread(request, client_address)

    return Server(("127.0.0.1", 0), handler, allow_reuse_address=True)


def _running_server(*, queue: int):
    """The portal's WSGI app on a bounded threaded server in this process (stop with .shutdown())."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = _bounded_server(Quiet, ThreadedWSGIServer, queue=queue)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _session_cookies(users) -> list[str]:
    """Signed-in session cookies for many users, made directly (logging 500 people in through
    the form would measure the password hasher, not the race)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    cookies = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["portal_login_at"] = int(time.time())
        session["portal_active_org"] = user.memberships.get().organization_id
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={'b' * 32}")
    return cookies


def _post_all_at_once(path: str, cookies: list[str], body: bytes | list[bytes]) -> tuple[list[int], float]:
    """Every client POSTs ``body`` (or its own of a list of bodies, one per cookie) to ``path`` at
    the same moment against a running server; returns the HTTP statuses (0 = connection failed)
    and the milliseconds for all of them."""
    import threading
    import urllib.error
    import urllib.request

    server = _running_server(queue=1024)
    url = f"http://127.0.0.1:{server.server_port}{path}"
    statuses: list[int] = []
    barrier = threading.Barrier(len(cookies))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    bodies = body if isinstance(body, list) else [body] * len(cookies)

    def client(cookie, data):
        barrier.wait()
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={
                "Cookie": cookie,
                "X-CSRFToken": "b" * 32,
                "Referer": url,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            statuses.append(opener.open(request, timeout=120).status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
        except OSError:
            statuses.append(0)

    threads = [threading.Thread(target=client, args=pair) for pair in zip(cookies, bodies, strict=True)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = (time.perf_counter() - began) * 1000
    server.shutdown()
    return statuses, elapsed


def _race_users(clients: int, kind: str = "municipality"):
    from portal.accounts.models import Organization
    from tests.factories import MembershipFactory

    orgs = list(Organization.objects.filter(kind=kind))
    return [MembershipFactory(organization=orgs[i % len(orgs)]).user for i in range(clients)]


def registration_race_benchmark(clients: int = 500, seats: int = 30) -> dict:
    """Issue 6: 500 concurrent registrations for 30 seats against a running server (PostgreSQL)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.core.models import Reservation
    from portal.meetings import services as meetings
    from portal.meetings.models import Registration

    if connection.vendor != "postgresql":
        return {
            "registration_race_oversold": {"value": None, "unit": "skipped: set DATABASE_URL to PostgreSQL"}
        }
    coordinator = User.objects.get(email="coordinator@example.jp")
    now = timezone.now()
    event = meetings.event_create(
        actor=coordinator,
        kind="supporters",
        title="ベンチ交流会",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=30, hours=2),
        venue="",
        online_url="",
        audience=["municipality"],
        capacity=seats,
        per_organization=clients,
        registration_deadline=now + dt.timedelta(days=20),
        description="",
    )
    cookies = _session_cookies(_race_users(clients))
    statuses, elapsed = _post_all_at_once(f"/events/{event.pk}/register/", cookies, b"mode=venue")
    return _race_results(
        "registration_race",
        Registration.objects.filter(event=event),
        seats=seats,
        clients=clients,
        statuses=statuses,
        elapsed=elapsed,
        booked=Reservation.objects.filter(resource__key=event.capacity_key, status="booked").count(),
    )


def _race_results(prefix, registrations, *, seats, clients, statuses, elapsed, booked) -> dict:
    """The figures of a registration race: seats given (by registrations and by the capacity
    engine's bookings), the waiting list, anything oversold, server errors and refused connections."""
    confirmed = registrations.filter(status="confirmed").count()
    return {
        f"{prefix}_confirmed": {"value": confirmed, "unit": f"of {seats} seats, {clients} clients at once"},
        f"{prefix}_waitlisted": {
            "value": registrations.filter(status="waitlisted").count(),
            "unit": "registrations",
        },
        f"{prefix}_oversold": {
            "value": max(0, confirmed - seats, booked - seats),
            "unit": "seats beyond capacity",
        },
        f"{prefix}_5xx": {"value": sum(1 for s in statuses if s >= 500), "unit": "server errors"},
        f"{prefix}_failed_connections": {"value": statuses.count(0), "unit": "connections refused/reset"},
        f"{prefix}_ms": {"value": round(elapsed, 1), "unit": "ms for all clients"},
    }


def training_registration_race_benchmark(clients: int = 500, seats: int = 30) -> dict:
    """Issue 7: 500 concurrent training registrations for 30 seats (PostgreSQL, running server)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.core.models import Reservation
    from portal.training import services as training
    from portal.training.models import Course, Registration

    if connection.vendor != "postgresql":
        return {
            "training_registration_race_oversold": {
                "value": None,
                "unit": "skipped: set DATABASE_URL to PostgreSQL",
            }
        }
    coordinator = User.objects.get(email="coordinator@example.jp")
    start = timezone.now() + dt.timedelta(days=30)
    session = training.session_create(
        actor=coordinator,
        course=Course.objects.get(fiscal_year=2025, code="supporters-intro"),
        label="ベンチ回",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=seats,
        opens_at=timezone.now() - dt.timedelta(days=1),
        registration_deadline=start - dt.timedelta(days=3),
    )
    cookies = _session_cookies(_race_users(clients))
    statuses, elapsed = _post_all_at_once(f"/training/sessions/{session.pk}/register/", cookies, b"")
    return _race_results(
        "training_registration_race",
        Registration.objects.filter(session=session),
        seats=seats,
        clients=clients,
        statuses=statuses,
        elapsed=elapsed,
        booked=Reservation.objects.filter(resource__key=session.capacity_key, status="booked").count(),
    )


def certificates_benchmark(count: int = 300) -> dict:
    """Issue 7: 300 修了証 by the Celery batch task (eager in this process: one worker)."""
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.training import services as training
    from portal.training.models import Certificate, CertificateBatch, Completion, Course

    coordinator = User.objects.get(email="coordinator@example.jp")
    course = Course.objects.get(fiscal_year=2025, code="supporters-family")
    for user in _race_users(count):
        Completion.objects.create(
            course=course,
            user=user,
            organization=user.memberships.get().organization,
            completed_at=timezone.now(),
        )
    began = time.perf_counter()
    batch = training.certificate_batch_start(actor=coordinator, course=course)
    elapsed = time.perf_counter() - began
    batch = CertificateBatch.objects.get(pk=batch.pk)
    sizes = [c.file.size for c in Certificate.objects.filter(batch=batch)]
    return {
        "certificates_300_s": {
            "value": round(elapsed, 2),
            "unit": f"s for {batch.done} certificates (status {batch.status})",
        },
        "certificate_pdf_kb": {
            "value": round(statistics.mean(sizes) / 1024, 1),
            "unit": "KB per certificate (mean)",
        },
    }


def slot_race_benchmark(clients: int = 50) -> dict:
    """Issue 5: 50 concurrent clients against a running server try to book the same talent-bank
    slot. Needs PostgreSQL (DATABASE_URL); SQLite serialises writers and proves nothing."""
    import threading
    import urllib.error
    import urllib.parse
    import urllib.request

    from django.db import connection

    from portal.accounts.models import ExpertProfile
    from portal.core.models import Reservation
    from portal.partners import services as bank
    from tests.factories import MembershipFactory, PartnerFactory  # noqa: E402 (factories for the bench fixture)

    if connection.vendor != "postgresql":
        return {"slot_race_confirmed": {"value": None, "unit": "skipped: set DATABASE_URL to PostgreSQL"}}
    from portal.partners.demo import seed_demo as seed_talent_bank

    seed_talent_bank()
    lawyer = ExpertProfile.objects.get(user__email="lawyer@example.jp")
    start = bank.available_slots(lawyer)[-1][0]
    users = [MembershipFactory(organization=PartnerFactory()).user for _ in range(clients)]
    cookies = list(zip(_session_cookies(users), [u.pk for u in users], strict=True))
    server = _running_server(queue=256)
    base = f"http://127.0.0.1:{server.server_port}"
    outcome: list[str] = []
    barrier = threading.Barrier(clients)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def post(path, data, cookie):
        request = urllib.request.Request(
            base + path,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            method="POST",
            headers={"Cookie": cookie, "X-CSRFToken": "b" * 32, "Referer": base + "/"},
        )
        try:
            response = opener.open(request, timeout=30)
            return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Location", "")
        except OSError as exc:  # refused / reset: counted, never silently dropped
            return 0, type(exc).__name__

    def client(cookie, user_pk):
        barrier.wait()
        status, location = post(
            "/talent-bank/slots/hold/", {"expert": lawyer.pk, "start": start.isoformat()}, cookie
        )
        if status >= 500:
            outcome.append("5xx")
        elif status == 0:
            outcome.append(f"connection-{location}")
        elif status != 302:
            outcome.append(f"status-{status}")
        elif "hold=" in location:
            hold_id = location.split("hold=")[1].split("&")[0]
            status, location = post(
                "/talent-bank/requests/new/",
                {
                    "hold": hold_id,
                    "field": "legal",
                    "topic": "同時予約テスト",
                    "description": "運営の相談",
                    "format": "online",
                    "attendees": [user_pk],
                },
                cookie,
            )
            outcome.append("5xx" if status >= 500 else "booked")
        else:
            outcome.append("told-taken")

    threads = [threading.Thread(target=client, args=c) for c in cookies]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = (time.perf_counter() - began) * 1000
    server.shutdown()
    booked = Reservation.objects.filter(
        resource__key=bank.resource_key(lawyer.user_id), starts_at=start, status="booked"
    ).count()
    return {
        "slot_race_confirmed": {
            "value": booked,
            "unit": f"bookings of one slot by {clients} concurrent clients",
        },
        "slot_race_told_taken": {
            "value": outcome.count("told-taken"),
            "unit": "clients told the slot was taken",
        },
        "slot_race_5xx": {"value": outcome.count("5xx"), "unit": "server errors"},
        "slot_race_other": {
            "value": len(outcome)
            - outcome.count("5xx")
            - outcome.count("booked")
            - outcome.count("told-taken"),
            "unit": f"other answers {sorted(set(outcome))}",
        },
        "slot_race_ms": {"value": round(elapsed, 1), "unit": "ms for all clients"},
        "slot_race_holds_completed": {
            "value": outcome.count("booked"),
            "unit": "clients whose hold went through",
        },
    }


def case_list_benchmarks(coord_client) -> dict:
    """Issue 4: the coordinator's case list with 10,000 cases (page of 50), p95 over 40 requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import Organization, User
    from portal.casereviews.models import Case

    coordinator = User.objects.get(email="coordinator@example.jp")
    orgs = list(Organization.objects.filter(kind="municipality"))
    have = Case.objects.count()
    statuses = ["submitted", "accepted", "scheduled", "advised", "closed", "returned"]
    Case.objects.bulk_create(
        (
            Case(
                organization=orgs[i % len(orgs)],
                reference=f"BENCH-{i:05d}",
                fiscal_year=2020 + i % 7,
                status=statuses[i % len(statuses)],
                pseudonym="Aさん",
                question="質問",
                difficulty="困りごと",
                disciplines=["medical", "welfare"],
                created_by=coordinator,
            )
            for i in range(10_000 - have)
        ),
        batch_size=1000,
    )
    samples = []
    coord_client.get("/cases/")
    for _ in range(40):
        start = time.perf_counter()
        response = coord_client.get("/cases/")
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    samples.sort()
    with CaptureQueriesContext(connection) as ctx:
        coord_client.get("/cases/?status=scheduled")
    return {
        "case_list_p95_ms": {
            "value": round(samples[int(len(samples) * 0.95) - 1], 3),
            "unit": f"ms ({Case.objects.count()} cases, page of 50, 40 requests)",
        },
        "case_list_median_ms": {"value": round(statistics.median(samples), 3), "unit": "ms"},
        "case_list_filtered_queries": {"value": len(ctx.captured_queries), "unit": "queries (status filter)"},
    }


def pii_benchmarks() -> dict:
    """Issues 4 and 14: the personal-data guard per kind on its development set
    (bench/pii_devset/devset.jsonl, see bench/pii_bench.py), the clean narratives it flags, its
    speed on 10 kB, and the first, smaller set (bench/pii_corpus.py) as a micro figure."""
    sys.path.insert(0, str(ROOT / "bench"))
    from pii_bench import evaluate
    from pii_bench import pii_benchmarks as devset_benchmarks
    from pii_corpus import CORPUS

    from portal.core.pii import scan

    out = devset_benchmarks()
    rows = []
    for text, labels in CORPUS:
        spans = []
        for kind, sub in labels:
            i = text.index(sub)
            spans.append({"kind": kind, "start": i, "end": i + len(sub)})
        rows.append({"id": "corpus", "text": text, "spans": spans})
    result = evaluate(rows, scan)
    tp, fp, fn = (sum(result[k].values()) for k in ("tp", "fp", "fn"))
    out["pii_corpus_recall"] = {"value": round(tp / (tp + fn), 3), "unit": f"micro, {len(CORPUS)} sentences"}
    out["pii_corpus_precision"] = {
        "value": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "unit": f"micro, {len(CORPUS)} sentences",
    }
    return out


def hearing_sheet_benchmarks(coord_client) -> dict:
    """Issue 3: one sheet's PDF, and the coordinator's sheet list at 10 and at 500 sheets."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import Organization
    from portal.municipalities.models import HearingSheet, Programme

    out: dict[str, dict] = {}
    sheet = HearingSheet.objects.filter(status="submitted").order_by("-programme__fiscal_year").first()
    out["hearing_sheet_pdf_ms"] = {
        "value": median_ms(lambda: coord_client.get(f"/sheets/{sheet.pk}/pdf/"), 10),
        "unit": "ms (one submitted sheet, 2 A4 pages, fonts embedded)",
    }

    def list_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = coord_client.get("/sheets/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def fill_to(total: int) -> None:
        have = HearingSheet.objects.count()
        if have >= total:
            return
        coordinator = Programme.objects.first().created_by
        year = 2100 + Programme.objects.filter(fiscal_year__gte=2100).count()
        need = total - have
        while need > 0:
            batch = min(need, 100)
            programme = Programme.objects.create(
                fiscal_year=year, hearing_deadline=dt.date(year, 7, 1), created_by=coordinator
            )
            orgs = Organization.objects.bulk_create(
                Organization(
                    kind="municipality", name=f"ベンチ市{year}-{i}", code=f"9{year % 100:02d}{i:03d}"
                )
                for i in range(batch)
            )
            HearingSheet.objects.bulk_create(
                HearingSheet(programme=programme, organization=o, answers={"department": "福祉部"})
                for o in orgs
            )
            need -= batch
            year += 1

    fill_to(10)
    out["hearing_sheet_list_queries_10"] = {"value": list_queries(), "unit": "queries (10 sheets)"}
    fill_to(500)
    out["hearing_sheet_list_queries_500"] = {
        "value": list_queries(),
        "unit": "queries (500 sheets, page of 50)",
    }
    out["hearing_sheet_list_500_ms"] = {
        "value": median_ms(lambda: coord_client.get("/sheets/"), 10),
        "unit": "ms",
    }
    return out


BENCH_PARAGRAPH = (
    "ひきこもりの状態にある人とその家族への支援では、本人の気持ちを尊重し、焦らずに関係を築くことが大切です。"
    "相談窓口の職員は、家族からの相談を入口として、本人の状態や家族の負担を丁寧に聞き取り、"
    "必要に応じて医療・福祉・就労などの関係機関と連携しながら、切れ目のない支援を組み立てます。"
)


def _bench_edition(coordinator, *, chapters: int = 10, sections: int = 5, paragraphs: int = 11):
    from portal.guidebook import services as guide

    edition = guide.edition_create(
        actor=coordinator, fiscal_year=2099, title="ひきこもり支援ガイドブック（ベンチ）"
    )
    table = "\n\n| 区分 | 内容 | 備考 |\n|---|---|---|\n" + "\n".join(
        f"| 項目{i} | 相談・訪問・居場所 | 区市町村と連携 |" for i in range(8)
    )
    for c in range(1, chapters + 1):
        chapter = guide.chapter_save(actor=coordinator, edition=edition, number=c, title=f"第{c}章の主題")
        for n in range(1, sections + 1):
            body = "\n\n".join(f"{BENCH_PARAGRAPH}（{c}-{n}-{p}）" for p in range(paragraphs)) + table
            guide.section_add(actor=coordinator, chapter=chapter, title=f"{c}.{n} 節の見出し", body=body)
    return edition


def _build_in_child(build_id: int) -> tuple[float, int, float, float]:
    """Build in a forked process so its peak memory is its own:
    (seconds, pages, peak RSS MB of that process, MB added by the build over its starting RSS)."""
    import multiprocessing
    import resource

    from django.db import connection, connections

    if connection.vendor == "postgresql":
        connections.close_all()  # a forked child must not share the parent's socket
    parent, child = multiprocessing.get_context("fork").Pipe()

    def work():
        from portal.guidebook import services as guide

        start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        build = guide.build_run(build_id)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        child.send((time.perf_counter() - began, build.pages, peak_kb, peak_kb - start_kb))
        os._exit(0)

    process = multiprocessing.get_context("fork").Process(target=work)
    process.start()
    seconds, pages, peak_kb, added_kb = parent.recv()
    process.join()
    return seconds, pages, round(peak_kb / 1024, 1), round(added_kb / 1024, 1)


def guidebook_benchmarks() -> dict:
    """Issue 8: a 100-page edition built to PDF (time, peak memory of the building process) and
    the permission-checked download of a 13 MB PDF against the same file as a static file."""
    from portal.accounts.models import User
    from portal.guidebook.models import Build

    coordinator = User.objects.get(email="coordinator@example.jp")
    edition = _bench_edition(coordinator)
    from portal.guidebook import services as guide

    build = Build.objects.create(
        edition=edition, content_hash=guide.content_hash(edition), requested_by=coordinator
    )
    seconds, pages, peak_mb, added_mb = _build_in_child(build.pk)
    results = {
        "guidebook_100p_build_s": {"value": round(seconds, 2), "unit": f"s for {pages} pages"},
        "guidebook_build_peak_mb": {"value": peak_mb, "unit": "MB peak RSS of the building process"},
        "guidebook_build_added_mb": {"value": added_mb, "unit": "MB the build added to that process"},
    }
    results.update(pdf_download_benchmark(coordinator))
    return results


def pdf_download_benchmark(coordinator, size_mb: float = 13.5, repeat: int = 8) -> dict:
    import urllib.request

    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.guidebook import services as guide

    body = b"%PDF-1.4\n" + os.urandom(int(size_mb * 1024 * 1024))
    material = guide.material_create(
        actor=coordinator,
        upload=SimpleUploadedFile("若者支援プログラム.pdf", body, content_type="application/pdf"),
        title="冊子（ベンチ）",
        category="booklet",
        fiscal_year=2025,
        audience="members",
    )
    static_dir = ROOT / "static" / "bench-tmp"
    static_dir.mkdir(exist_ok=True)
    static_file = static_dir / "booklet.pdf"
    static_file.write_bytes(body)
    member = _member()
    cookie = _session_cookies([member])[0]

    server = _running_server(queue=64)
    base = f"http://127.0.0.1:{server.server_port}"

    def throughput(path: str, headers: dict) -> float:
        seconds = []
        for _ in range(repeat + 1):
            request = urllib.request.Request(base + path, headers=headers)
            began = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                received = 0
                while chunk := response.read(256 * 1024):
                    received += len(chunk)
            assert received == len(body), (path, received)  # noqa: S101
            seconds.append(time.perf_counter() - began)
        return len(body) / 1024 / 1024 / statistics.median(seconds[1:])

    try:
        checked = throughput(f"/materials/{material.pk}/download/", {"Cookie": cookie})
        static = throughput("/static/bench-tmp/booklet.pdf", {})
    finally:
        server.shutdown()
        static_file.unlink()
        static_dir.rmdir()
    return {
        "pdf_download_checked_mb_s": {"value": round(checked, 1), "unit": "MB/s, permission-checked view"},
        "pdf_download_static_mb_s": {
            "value": round(static, 1),
            "unit": "MB/s, same file as static (WhiteNoise)",
        },
        "pdf_download_ratio": {
            "value": round(checked / static, 2),
            "unit": f"checked / static, {size_mb} MB PDF",
        },
    }


def _member():
    from portal.accounts.models import User

    return User.objects.get(email="hachioji@example.jp")


if __name__ == "__main__":
    main()
