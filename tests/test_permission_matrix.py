"""Every URL pattern has a permission-matrix entry, and every entry is checked for
anonymous / other organisation / wrong role / right role, and lists for the rows each actor sees.

Adding a URL without an entry here fails `test_every_url_pattern_has_an_entry`. An entry whose
URL names an object (a path parameter such as ``pk``) must state what another organisation's
user gets (``other_org``), or say in ``not_applicable`` why no organisation owns that object
(`test_every_entry_states_all_four_cases`). ``rows`` checks a list page's content: which rows an
actor must and must not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.accounts import services as account_services
from portal.accounts.models import ExpertProfile, Membership
from portal.core import outbox

from .factories import NotificationFactory

LOGIN = "login"  # expected: redirect to the sign-in page


def _pdf_upload(name="stats.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


SUBMITTABLE = {
    "windows": "窓口",
    "department": "福祉課",
    "agencies": ["社会福祉協議会"],
    "consultations_total": 10,
    "challenges": "課題",
    "preferred_date_1": "2026-12-01",
}


@dataclass
class World:
    org_a: object
    org_b: object
    coordinator: object
    admin_a: object
    member_a: object
    admin_b: object
    expert: object
    membership: Membership
    invitation: object
    token: str
    notification: object
    mail: object
    expert_profile: ExpertProfile
    partner_member: object = None
    programme: object = None
    sheet: object = None
    old_sheet: object = None
    session: object = None
    action: object = None
    window: object = None
    question: object = None
    application: object = None
    file: object = None


@pytest.fixture
def world(coordinator, org_a, org_b, admin_a, member_a, admin_b, expert, partner_member):
    import datetime as dt

    from django.utils import timezone

    from portal.municipalities import services as m
    from portal.windows import services as window_services

    invitation, token = account_services.invitation_create(
        actor=admin_a, email="new@example.jp", organization=org_a, role=Membership.Role.MEMBER
    )
    old = m.programme_open(actor=coordinator, fiscal_year=2025, hearing_deadline=dt.date(2025, 7, 31))
    m.participation_add(actor=coordinator, programme=old, organizations=[org_a])
    old_sheet = old.sheets.get()
    old_sheet = m.sheet_submit(
        actor=member_a,
        sheet=old_sheet,
        answers=SUBMITTABLE,
        based_on_version=old_sheet.version,
        uploads_=[("statistics_file", _pdf_upload())],
    )
    programme = m.programme_open(actor=coordinator, fiscal_year=2026, hearing_deadline=dt.date(2026, 12, 18))
    m.participation_add(actor=coordinator, programme=programme, organizations=[org_a])
    application = m.participation_apply(actor=admin_b, programme=programme, organization=org_b)
    sheet = programme.sheets.get()
    sheet = m.sheet_save(
        actor=member_a,
        sheet=sheet,
        answers={"department": "福祉課"},
        based_on_version=sheet.version,
        uploads_=[("statistics_file", _pdf_upload())],
    )
    start = timezone.now() + dt.timedelta(days=10)
    session = m.session_schedule(
        actor=coordinator,
        sheet=sheet,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_url="https://meet.example.jp/x",
        participants=[coordinator, admin_a],
    )
    action = m.action_add(
        actor=coordinator,
        session=session,
        description="資料送付",
        owner=admin_a,
        due_date=dt.date(2026, 12, 25),
    )
    window = window_services.window_save(
        actor=member_a,
        organization=org_a,
        window=None,
        based_on_version=None,
        name="相談窓口",
        department="",
        phone="03-1234-5678",
        hours="",
        email="",
        web_url="",
        accepts_home_visit=False,
        notes="",
        order=1,
    )
    return World(
        partner_member=partner_member,
        programme=programme,
        sheet=sheet,
        old_sheet=old_sheet,
        session=session,
        action=action,
        window=window,
        question=programme.questions.first(),
        application=application,
        file=sheet.files.get(),
        org_a=org_a,
        org_b=org_b,
        coordinator=coordinator,
        admin_a=admin_a,
        member_a=member_a,
        admin_b=admin_b,
        expert=expert,
        membership=Membership.objects.get(user=member_a, organization=org_a),
        invitation=invitation,
        token=token,
        notification=NotificationFactory(user=admin_a),
        mail=outbox.queue_email(to="x@example.jp", subject="s", body_text="b"),
        expert_profile=ExpertProfile.objects.get(user=expert),
    )


Text = str | Callable[[object], str]  # a literal, or computed from the world


@dataclass
class Rule:
    method: str
    right: tuple[str, int]  # (actor attribute of World, expected status)
    wrong_role: tuple[str, int] | None = None  # expected 403
    other_org: tuple[str, int] | None = None  # expected 404
    anonymous: object = LOGIN  # LOGIN, or the status a public page answers
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    data: Callable[[World], dict] = field(default=lambda w: {})
    not_applicable: str = ""  # why wrong_role / other_org have no case
    # List pages: (actor, text the page must show, text it must not show); "" = no requirement.
    rows: tuple[tuple[str, Text, Text], ...] = ()


def org_a(w):
    return {"pk": w.org_a.pk}


def membership(w):
    return {"pk": w.membership.pk}


def version(w):
    return {"version": w.membership.version}


MATRIX: dict[str, Rule] = {
    "healthz": Rule("GET", right=("admin_a", 200), anonymous=200, not_applicable="public health check"),
    "healthz_live": Rule("GET", right=("admin_a", 200), anonymous=200, not_applicable="public: liveness"),
    "healthz_ready": Rule("GET", right=("admin_a", 200), anonymous=200, not_applicable="public: readiness"),
    # No person's sign-in opens it, a coordinator's neither: only the scraper's token or a private
    # network connecting straight (tests/core/test_metrics.py).
    "metrics": Rule(
        "GET", right=("coordinator", 404), anonymous=404, not_applicable="monitoring: token or network only"
    ),
    "set_language": Rule(
        "POST",
        right=("admin_a", 302),
        anonymous=302,
        data=lambda w: {"language": "en"},
        not_applicable="public: anyone may choose the language",
    ),
    "core:dashboard": Rule("GET", right=("admin_a", 200), not_applicable="every signed-in person has one"),
    "core:home": Rule(
        "GET",
        right=("admin_a", 200),
        anonymous=200,
        not_applicable="public entrance; signed-in people see their dashboard",
    ),
    "core:notification_list": Rule(
        "GET",
        right=("admin_a", 200),
        not_applicable="own notifications only",
        rows=(
            ("admin_a", lambda w: w.notification.title, ""),
            ("admin_b", "", lambda w: w.notification.title),
        ),
    ),
    "core:notification_read_all": Rule(
        "POST", right=("admin_a", 302), not_applicable="own notifications only"
    ),
    "core:notification_read": Rule(
        "POST",
        right=("admin_a", 302),
        other_org=("admin_b", 404),
        kwargs=lambda w: {"pk": w.notification.pk},
        not_applicable="no role distinction: a notification is its recipient's",
    ),
    "core:audit_list": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "core:audit_history": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("admin_a", 403),
        not_applicable="the audit trail is the secretariat's: every organisation's user gets 403",
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.org_a).pk,
            "object_id": str(w.org_a.pk),
        },
    ),
    "core:outbox_list": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("admin_a", 403),
        rows=(("coordinator", "x@example.jp", ""),),
    ),
    "core:outbox_retry": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("admin_a", 403),
        kwargs=lambda w: {"pk": w.mail.pk},
        not_applicable="the outbox is the secretariat's, no organisation owns a mail",
    ),
    "accounts:organization_list": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("admin_a", 403),
        rows=(("coordinator", lambda w: w.org_a.name, ""), ("coordinator", lambda w: w.org_b.name, "")),
    ),
    "accounts:organization_create": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "accounts:switch_organization": Rule(
        "POST",
        right=("admin_a", 302),
        data=lambda w: {"organization": w.org_a.pk},
        not_applicable="switching only ever selects among one's own memberships",
    ),
    "accounts:organization_detail": Rule(
        "GET",
        right=("member_a", 200),
        other_org=("admin_b", 404),
        kwargs=org_a,
        not_applicable="every member may see their organisation",
        rows=(("admin_a", lambda w: w.member_a.email, lambda w: w.admin_b.email),),
    ),
    "accounts:organization_mfa_policy": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=org_a,
        data=lambda w: {"require_mfa": "on"},
    ),
    "accounts:organization_deactivate": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("admin_a", 403),
        kwargs=org_a,
        not_applicable="coordinators only: every organisation's user, its own admin too, gets 403",
    ),
    "accounts:organization_reactivate": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("admin_a", 403),
        kwargs=org_a,
        not_applicable="coordinators only: every organisation's user, its own admin too, gets 403",
    ),
    "accounts:invitation_create": Rule(
        "GET", right=("admin_a", 200), wrong_role=("member_a", 403), other_org=("admin_b", 404), kwargs=org_a
    ),
    "accounts:membership_deactivate": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=membership,
        data=version,
    ),
    "accounts:membership_reactivate": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=membership,
        data=version,
    ),
    "accounts:membership_role": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=membership,
        data=lambda w: {"role": "admin", "version": w.membership.version},
    ),
    "accounts:invitation_revoke": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=lambda w: {"pk": w.invitation.pk},
    ),
    "accounts:invitation_accept": Rule(
        "GET",
        right=("admin_a", 403),  # signed in as someone else: told to switch accounts
        anonymous=200,
        kwargs=lambda w: {"token": w.token},
        not_applicable="public: the secret token is the permission",
    ),
    "accounts:expert_list": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("expert", 403),
        rows=(("coordinator", lambda w: w.expert.email, ""),),
    ),
    "accounts:expert_invite": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "accounts:expert_deactivate": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("expert", 403),
        kwargs=lambda w: {"pk": w.expert_profile.pk},
        not_applicable="experts belong to no organisation; coordinators only",
    ),
    "accounts:expert_reactivate": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("expert", 403),
        kwargs=lambda w: {"pk": w.expert_profile.pk},
        not_applicable="experts belong to no organisation; coordinators only",
    ),
}


def prog(w):
    return {"pk": w.programme.pk}


def sheet(w):
    return {"pk": w.sheet.pk}


def session(w):
    return {"pk": w.session.pk}


COORDINATOR_ONLY = {"right": ("coordinator", 200), "wrong_role": ("admin_a", 403)}
COORDINATOR_POST = {"right": ("coordinator", 302), "wrong_role": ("admin_a", 403)}
# A coordinators' page about one organisation's object: another organisation's staff are refused
# for their role before the object is read, so existing and missing objects look the same (403).
COORDINATOR_ONLY_OF = {**COORDINATOR_ONLY, "other_org": ("admin_b", 403)}
COORDINATOR_POST_OF = {**COORDINATOR_POST, "other_org": ("admin_b", 403)}
# … or, where the page first fetches the organisation's object through the visibility queryset,
# another organisation's staff get 404 for it, as for a missing one.
COORDINATOR_ONLY_HIDDEN = {**COORDINATOR_ONLY, "other_org": ("admin_b", 404)}
COORDINATOR_POST_HIDDEN = {**COORDINATOR_POST, "other_org": ("admin_b", 404)}
# Partner staff and experts cannot tell an existing municipal object from a missing one: 404 for both.
ORG_READ = {"right": ("member_a", 200), "other_org": ("admin_b", 404), "wrong_role": ("partner_member", 404)}


# --- exports
# The lists' xlsx / CSV downloads (``?fmt=``). A meeting or a session is the secretariat's, not an
# organisation's: another organisation's staff are refused for their role before it is read (403),
# as for the pages the exports belong to.


def _export_event(w):
    if not hasattr(w, "export_event"):
        import datetime as dt

        from django.utils import timezone

        from portal.meetings import services as meeting_services

        start = timezone.now() + dt.timedelta(days=20)
        w.export_event = meeting_services.event_create(
            actor=w.coordinator,
            kind="fair",
            title="合同相談会",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            venue="都庁",
            online_url="",
            audience=["municipality", "partner"],
            capacity=10,
            per_organization=2,
            registration_deadline=start - dt.timedelta(days=3),
            description="",
        )
    return {"pk": w.export_event.pk}


def _export_session(w):
    if not hasattr(w, "export_session"):
        import datetime as dt

        from django.utils import timezone

        from portal.training import services as training_services
        from portal.training.models import Course

        start = timezone.now() + dt.timedelta(days=20)
        w.export_session = training_services.session_create(
            actor=w.coordinator,
            course=Course.objects.get(fiscal_year=2025, code="supporters-intro"),
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            venue="都庁",
            capacity=10,
            opens_at=timezone.now() - dt.timedelta(days=1),
            registration_deadline=start - dt.timedelta(days=3),
        )
    return {"pk": w.export_session.pk}


MATRIX.update(
    {
        "core:audit_export": Rule("GET", **COORDINATOR_ONLY),
        "core:outbox_export": Rule("GET", **COORDINATOR_ONLY),
        "casereviews:case_export": Rule("GET", **COORDINATOR_ONLY),
        "partners:consultation_export": Rule("GET", **COORDINATOR_ONLY),
        "meetings:registrations_export": Rule("GET", kwargs=_export_event, **COORDINATOR_ONLY_OF),
        "meetings:waitlist_export": Rule("GET", kwargs=_export_event, **COORDINATOR_ONLY_OF),
        "meetings:exhibitors_export": Rule("GET", kwargs=_export_event, **COORDINATOR_ONLY_OF),
        "training:roster_export": Rule("GET", kwargs=_export_session, **COORDINATOR_ONLY_OF),
        "training:waitlist_export": Rule("GET", kwargs=_export_session, **COORDINATOR_ONLY_OF),
    }
)


# Seats and series: admin_a's registrations for an event and a training session, each with
# venue and online places. The registrant (and their organisation's admins) may change them; a
# colleague without admin rights is refused; another organisation's admin does not see them.
SEAT_OWNER = {"right": ("admin_a", 200), "wrong_role": ("member_a", 403), "other_org": ("admin_b", 404)}


def _seat_pk(w, kind: str) -> dict:
    import datetime as dt

    from django.utils import timezone

    from portal.meetings import services as meetings
    from portal.training import services as training
    from portal.training.models import Course

    if getattr(w, "seats", None) is None:
        start = timezone.now() + dt.timedelta(days=20)
        times = {
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "registration_deadline": start - dt.timedelta(days=3),
            "venue": "会議室",
            "online_url": "https://meet.example.jp/s",
            "capacity": 15,
            "online_capacity": 30,
        }
        event = meetings.event_create(
            actor=w.coordinator, kind="supporters", title="家族セミナー", audience=["municipality"], **times
        )
        course = Course.objects.create(
            fiscal_year=2026,
            code="matrix-seats",
            track=Course.Track.SUPPORTERS,
            title="席の研修",
            audience=["municipality"],
            format=Course.Format.IN_PERSON,
        )
        session = training.session_create(
            actor=w.coordinator, course=course, opens_at=timezone.now() - dt.timedelta(days=1), **times
        )
        w.seats = {
            "event": meetings.register(actor=w.admin_a, event=event, mode="online").pk,
            "session": training.register(actor=w.admin_a, session=session, mode="online").pk,
        }
    return {"pk": w.seats[kind]}


def _seat_event(w) -> int:
    from portal.meetings.models import Registration

    return Registration.objects.get(pk=_seat_pk(w, "event")["pk"]).event_id


def _seat_course(w) -> int:
    from portal.training.models import Registration

    return Registration.objects.get(pk=_seat_pk(w, "session")["pk"]).session.course_id


MATRIX.update(
    {
        # --- seats and series
        "meetings:registration_manage": Rule("GET", kwargs=lambda w: _seat_pk(w, "event"), **SEAT_OWNER),
        "meetings:registration_leave": Rule("GET", kwargs=lambda w: _seat_pk(w, "event"), **SEAT_OWNER),
        "training:registration_manage": Rule("GET", kwargs=lambda w: _seat_pk(w, "session"), **SEAT_OWNER),
        "training:registration_leave": Rule("GET", kwargs=lambda w: _seat_pk(w, "session"), **SEAT_OWNER),
        "meetings:event_series": Rule("GET", **COORDINATOR_ONLY, not_applicable="no organisation's object"),
        "meetings:event_copy": Rule(
            "GET",
            kwargs=lambda w: {"pk": _seat_event(w)},
            **COORDINATOR_ONLY,
            not_applicable="meetings are the secretariat's: every organisation's user gets 403",
        ),
        "training:session_series": Rule(
            "GET",
            kwargs=lambda w: {"pk": _seat_course(w)},
            **COORDINATOR_ONLY,
            not_applicable="courses are the secretariat's: every organisation's user gets 403",
        ),
        # --- end of seats and series
        "municipalities:programme_list": Rule(
            "GET",
            right=("coordinator", 200),
            wrong_role=("partner_member", 403),
            not_applicable="no organisation's object",
        ),
        "municipalities:programme_create": Rule("GET", **COORDINATOR_ONLY),
        "municipalities:programme_detail": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:programme_edit": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:participants_add": Rule(
            "POST", kwargs=prog, data=lambda w: {"organizations": [w.org_b.pk]}, **COORDINATOR_POST_OF
        ),
        "municipalities:programme_apply": Rule(
            "GET",
            kwargs=prog,
            right=("admin_b", 200),
            wrong_role=("partner_member", 403),
            not_applicable="a municipality applies for itself",
        ),
        "municipalities:programme_board": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:programme_export": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:question_list": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:question_create": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:section_create": Rule("GET", kwargs=prog, **COORDINATOR_ONLY_OF),
        "municipalities:question_edit": Rule(
            "GET", kwargs=lambda w: {"pk": w.question.pk}, **COORDINATOR_ONLY_OF
        ),
        "municipalities:question_delete": Rule(
            "POST", kwargs=lambda w: {"pk": w.question.pk}, **COORDINATOR_POST_OF
        ),
        "municipalities:participation_accept": Rule(
            "POST", kwargs=lambda w: {"pk": w.application.pk}, **COORDINATOR_POST_OF
        ),
        "municipalities:participation_decline": Rule(
            "POST", kwargs=lambda w: {"pk": w.application.pk}, **COORDINATOR_POST_OF
        ),
        "municipalities:sheet_list": Rule(
            "GET",
            right=("admin_a", 200),
            wrong_role=("partner_member", 403),
            not_applicable="the list shows only one's own municipality's sheets",
        ),
        "municipalities:sheet_detail": Rule("GET", kwargs=sheet, **ORG_READ),
        "municipalities:sheet_edit": Rule(
            "GET",
            kwargs=sheet,
            right=("member_a", 200),
            other_org=("admin_b", 404),
            wrong_role=("coordinator", 403),
        ),
        "municipalities:sheet_autosave": Rule(
            "POST",
            kwargs=sheet,
            right=("member_a", 200),
            other_org=("admin_b", 404),
            wrong_role=("coordinator", 403),
            data=lambda w: {"version": w.sheet.version, "q_department": "福祉課"},
        ),
        "municipalities:sheet_revision": Rule(
            "GET", kwargs=lambda w: {"pk": w.old_sheet.pk, "number": 1}, **ORG_READ
        ),
        "municipalities:sheet_file": Rule(
            "GET", kwargs=lambda w: {"pk": w.sheet.pk, "file_pk": w.file.pk}, **ORG_READ
        ),
        "municipalities:sheet_file_delete": Rule(
            "POST",
            kwargs=lambda w: {"pk": w.sheet.pk, "file_pk": w.file.pk},
            right=("member_a", 302),
            other_org=("admin_b", 404),
            wrong_role=("coordinator", 403),
        ),
        "municipalities:sheet_return": Rule(
            "POST",
            kwargs=lambda w: {"pk": w.old_sheet.pk},
            data=lambda w: {"comment": "直してください"},
            **COORDINATOR_POST_HIDDEN,
        ),
        "municipalities:sheet_note": Rule(
            "POST", kwargs=sheet, data=lambda w: {"body": "メモ"}, **COORDINATOR_POST_HIDDEN
        ),
        "municipalities:sheet_compare": Rule("GET", kwargs=sheet, **COORDINATOR_ONLY_HIDDEN),
        "municipalities:sheet_pdf": Rule("GET", kwargs=sheet, **ORG_READ),
        "municipalities:session_create": Rule("GET", kwargs=sheet, **COORDINATOR_ONLY_HIDDEN),
        "municipalities:session_detail": Rule("GET", kwargs=session, **ORG_READ),
        "municipalities:session_edit": Rule("GET", kwargs=session, **COORDINATOR_ONLY_HIDDEN),
        "municipalities:session_cancel": Rule("POST", kwargs=session, **COORDINATOR_POST_HIDDEN),
        "municipalities:session_record": Rule(
            "POST",
            kwargs=session,
            data=lambda w: {"summary": "記録", "version": w.session.version},
            **COORDINATOR_POST_HIDDEN,
        ),
        "municipalities:session_ics": Rule("GET", kwargs=session, **ORG_READ),
        "municipalities:action_create": Rule(
            "POST",
            kwargs=session,
            data=lambda w: {"description": "連絡", "owner": w.admin_a.pk, "due_date": "2026-12-24"},
            **COORDINATOR_POST_HIDDEN,
        ),
        "municipalities:action_done": Rule(
            "POST",
            kwargs=lambda w: {"pk": w.action.pk},
            right=("admin_a", 302),
            wrong_role=("member_a", 403),
            other_org=("admin_b", 404),
        ),
        "windows:window_directory": Rule(
            "GET", right=("admin_a", 200), anonymous=200, not_applicable="public list"
        ),
        "windows:window_directory_csv": Rule(
            "GET", right=("admin_a", 200), anonymous=200, not_applicable="public list"
        ),
        "windows:window_directory_pdf": Rule(
            "GET", right=("admin_a", 200), anonymous=200, not_applicable="public list"
        ),
        "windows:window_mine": Rule(
            "GET",
            right=("member_a", 200),
            wrong_role=("partner_member", 403),
            not_applicable="always the active municipality's own",
        ),
        "windows:window_create": Rule(
            "GET",
            right=("member_a", 200),
            wrong_role=("partner_member", 403),
            not_applicable="always for the active municipality",
        ),
        "windows:window_edit": Rule("GET", kwargs=lambda w: {"pk": w.window.pk}, **ORG_READ),
        "windows:window_delete": Rule(
            "POST",
            kwargs=lambda w: {"pk": w.window.pk},
            right=("member_a", 302),
            other_org=("admin_b", 404),
            wrong_role=("partner_member", 404),
        ),
        "windows:window_confirm": Rule(
            "POST",
            right=("member_a", 302),
            wrong_role=("partner_member", 403),
            not_applicable="always for the active municipality",
        ),
        "windows:window_status": Rule("GET", **COORDINATOR_ONLY),
        "windows:window_remind": Rule("POST", **COORDINATOR_POST),
        "core:calendar_settings": Rule("GET", right=("admin_a", 200), not_applicable="one's own calendar"),
        "core:calendar_renew": Rule("POST", right=("admin_a", 302), not_applicable="one's own calendar"),
        "core:calendar_revoke": Rule("POST", right=("admin_a", 302), not_applicable="one's own calendar"),
        "core:notification_preferences": Rule(
            "GET", right=("expert", 200), not_applicable="one's own email choices, for any signed-in person"
        ),
        "core:calendar_feed": Rule(
            "GET",
            right=("admin_b", 200),
            anonymous=200,
            kwargs=lambda w: {"token": _feed_token(w.admin_a)},
            not_applicable="public: the secret token is the permission",
        ),
        # --- mailings: the secretariat's messages to groups. A mailing belongs to no organisation:
        # everyone but a coordinator is refused for their role (403) before any mailing is read.
        "mailings:list": Rule(
            "GET",
            kwargs=lambda w: __import__("tests.mailings.helpers", fromlist=["listed"]).listed(w),
            rows=(("coordinator", "マトリクス確認のお知らせ", ""),),
            **COORDINATOR_ONLY,
        ),
        "mailings:create_organizations": Rule("GET", **COORDINATOR_ONLY),
        "mailings:create": Rule(
            "GET",
            kwargs=lambda w: __import__("tests.mailings.helpers", fromlist=["event_source"]).event_source(w),
            **COORDINATOR_ONLY_OF,
        ),
        **{
            f"mailings:{name}": Rule(
                "GET",
                kwargs=lambda w: __import__("tests.mailings.helpers", fromlist=["mailing_pk"]).mailing_pk(w),
                **COORDINATOR_ONLY_OF,
            )
            for name in ("detail", "edit", "confirm", "status")
        },
    }
)


def _feed_token(user):
    from portal.core import feeds

    return feeds.feed_renew(actor=user)


# django-allauth's own pages: public (answers without a session) or behind sign-in.
PUBLIC, SIGNED_IN = "public", "signed-in"
ALLAUTH: dict[str, tuple[str, dict]] = {
    "account_login": (PUBLIC, {}),
    "account_logout": (PUBLIC, {}),
    "account_inactive": (PUBLIC, {}),
    "account_signup": (PUBLIC, {}),  # shows "sign-up is closed"
    "account_reauthenticate": (SIGNED_IN, {}),
    "account_email": (SIGNED_IN, {}),
    "account_email_verification_sent": (PUBLIC, {}),
    "account_change_password": (SIGNED_IN, {}),
    "account_set_password": (SIGNED_IN, {}),
    "account_reset_password": (PUBLIC, {}),
    "account_confirm_login_code": (PUBLIC, {}),
    "account_confirm_email": (PUBLIC, {"key": "invalid-key"}),
    "account_reset_password_from_key_done": (PUBLIC, {}),
    "account_reset_password_from_key": (PUBLIC, {"uidb36": "zz", "key": "invalid"}),
    "account_reset_password_done": (PUBLIC, {}),
    "mfa_index": (SIGNED_IN, {}),
    "mfa_authenticate": (PUBLIC, {}),
    "mfa_reauthenticate": (SIGNED_IN, {}),
    "mfa_activate_totp": (SIGNED_IN, {}),
    "mfa_deactivate_totp": (SIGNED_IN, {}),
    "mfa_view_recovery_codes": (SIGNED_IN, {}),
    "mfa_generate_recovery_codes": (SIGNED_IN, {}),
    "mfa_download_recovery_codes": (SIGNED_IN, {}),
    "mfa_list_webauthn": (SIGNED_IN, {}),
    "mfa_add_webauthn": (SIGNED_IN, {}),
    "mfa_reauthenticate_webauthn": (SIGNED_IN, {}),
    "mfa_remove_webauthn": (SIGNED_IN, {"pk": 999999}),
    "mfa_edit_webauthn": (SIGNED_IN, {"pk": 999999}),
}


def all_url_names(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = (
                p.namespace if not namespace else (f"{namespace}:{p.namespace}" if p.namespace else namespace)
            )
            yield from all_url_names(p, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}" if namespace else (p.name or f"<unnamed {p.pattern}>")


def test_every_url_pattern_has_an_entry():
    covered = {**all_matrices(), **ALLAUTH}
    missing = [name for name in all_url_names() if name not in covered and not name.startswith("admin:")]
    assert missing == [], f"URL patterns without a permission-matrix entry: {missing}"


def all_matrices() -> dict[str, Rule]:
    from .casereviews.test_permissions import CASE_MATRIX
    from .guidebook.test_permissions import GUIDE_MATRIX
    from .meetings.test_permissions import EVENT_MATRIX
    from .news.test_permissions import NEWS_MATRIX
    from .outreach.test_permissions import OUTREACH_MATRIX
    from .partners.test_permissions import BANK_MATRIX
    from .subsidies.test_permissions import SUBSIDY_MATRIX
    from .training.test_permissions import TRAINING_MATRIX

    return {
        **MATRIX,
        **CASE_MATRIX,
        **BANK_MATRIX,
        **EVENT_MATRIX,
        **TRAINING_MATRIX,
        **GUIDE_MATRIX,
        **OUTREACH_MATRIX,
        **NEWS_MATRIX,
        **SUBSIDY_MATRIX,
    }


def url_parameters(name: str) -> set[str]:
    """The path parameters of a named URL pattern (``pk``, ``token`` …)."""
    return {param for _possibility, _defaults, params, *_rest in _possibilities(name) for param in params}


def _possibilities(name: str):
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for ns in namespaces:
        _prefix, resolver = resolver.namespace_dict[ns]
    for possibility, _pattern, defaults, _converters in resolver.reverse_dict.getlist(view):
        for _text, params in possibility:
            yield possibility, defaults, params


# Path parameters that are a secret rather than an object: the token is the permission.
NOT_AN_OBJECT = {"token"}
PLACEHOLDER_REASONS = {"", "n/a", "na", "none", "todo", "tbd", "-", "not applicable"}


def is_real_reason(text: str) -> bool:
    return text.strip().lower() not in PLACEHOLDER_REASONS and len(text.strip()) >= 10


def names_an_object(name: str) -> bool:
    return bool(url_parameters(name) - NOT_AN_OBJECT)


# Entries of other areas' matrices that name an object and state neither an other_org case nor
# a reason. Their owners add the cases; the meta-test fails once an entry here has one (so the
# list only shrinks) and for any entry missing from it.
PENDING_OTHER_ORG: set[str] = set()


def entry_problems(matrix: dict[str, Rule], pending: set[str]) -> list[str]:
    problems = []
    for name, rule in matrix.items():
        reason = is_real_reason(rule.not_applicable)
        if not rule.right:
            problems.append(f"{name}: no right-role case")
        if rule.wrong_role is None and not reason:
            problems.append(f"{name}: no wrong_role case; say in not_applicable why")
        if names_an_object(name) and rule.other_org is None and not reason and name not in pending:
            problems.append(f"{name}: names an object but has no other_org case; say why if none owns it")
        if name in pending and (rule.other_org is not None or reason):
            problems.append(f"{name}: has its other_org case now; remove it from PENDING_OTHER_ORG")
        for actor, _must, _must_not in rule.rows:
            if rule.method != "GET":
                problems.append(f"{name}: rows are checked on GET lists only (actor {actor})")
    return problems


def test_every_entry_states_all_four_cases():
    matrix = all_matrices()

    assert entry_problems(matrix, PENDING_OTHER_ORG) == []
    assert set(matrix) >= PENDING_OTHER_ORG, "PENDING_OTHER_ORG names an entry that no longer exists"


def test_meta_test_catches_a_tenant_url_without_other_org():
    lacking = {"accounts:membership_role": Rule("POST", right=("admin_a", 302), wrong_role=("member_a", 403))}
    placeholder = {
        "accounts:membership_role": Rule(
            "POST", right=("admin_a", 302), wrong_role=("member_a", 403), not_applicable="n/a"
        )
    }
    explained = {
        "core:outbox_retry": Rule(
            "POST", right=("coordinator", 302), not_applicable="the secretariat's own outbox, no tenant's"
        )
    }
    list_page = {"core:outbox_list": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403))}

    assert entry_problems(lacking, set()) == [
        "accounts:membership_role: names an object but has no other_org case; say why if none owns it"
    ]
    assert len(entry_problems(placeholder, set())) == 1
    assert entry_problems(explained, set()) == []
    assert entry_problems(list_page, set()) == []
    assert url_parameters("accounts:membership_role") == {"pk"}


def _request(client, rule, w, name):
    url = reverse(name, kwargs=rule.kwargs(w))
    if rule.method == "POST":
        return client.post(url, rule.data(w))
    return client.get(url)


def matrix_cases(matrix: dict) -> list[tuple[str, str]]:
    """Every (URL name, case) pair a matrix states: anonymous and right always, the others when given."""
    return [
        (name, case)
        for name, rule in matrix.items()
        for case in ("anonymous", "right", "wrong_role", "other_org", "rows")
        if case in ("anonymous", "right") or getattr(rule, case)
    ]


def _text(value: Text, world) -> str:
    return value(world) if callable(value) else value


def check_rows(client, world, rule: Rule, name: str) -> None:
    """Each actor's list shows the rows it must and none it must not."""
    for actor, must, must_not in rule.rows:
        client.force_login(getattr(world, actor))
        response = _request(client, rule, world, name)
        assert response.status_code == 200, (name, actor, response.status_code)
        page = response.content.decode()
        shown, hidden = _text(must, world), _text(must_not, world)
        if shown:
            assert shown in page, f"{name}: {actor} should see {shown!r}"
        if hidden:
            assert hidden not in page, f"{name}: {actor} must not see {hidden!r}"


def check_rule(client, world, rule: Rule, name: str, case: str) -> None:
    """Request the URL as the case's actor and check the expected answer."""
    if case == "rows":
        check_rows(client, world, rule, name)
        return
    if case != "anonymous":
        actor, expected = getattr(rule, case)
        client.force_login(getattr(world, actor))
    else:
        expected = rule.anonymous
    response = _request(client, rule, world, name)
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.url.startswith(reverse("account_login")), response.url
    else:
        assert response.status_code == expected, (name, case, response.status_code)


def check_get_is_safe(client, world, rule: Rule, name: str) -> None:
    """A GET by the right actor changes no row (sessions and audited reads aside)."""
    actor, _expected = rule.right
    client.force_login(getattr(world, actor))
    url = reverse(name, kwargs=rule.kwargs(world))
    before = _row_counts()
    client.get(url)
    assert _row_counts() == before


CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_permission_matrix(client, world, name, case):
    check_rule(client, world, MATRIX[name], name, case)


@pytest.mark.parametrize("name", sorted(ALLAUTH))
def test_allauth_pages(client, world, name):
    kind, kwargs = ALLAUTH[name]
    url = reverse(name, kwargs=kwargs)
    anonymous = client.get(url)
    if kind == PUBLIC:
        assert anonymous.status_code in (200, 302), anonymous.status_code
        if anonymous.status_code == 302:
            assert not anonymous.url.startswith(reverse("account_login") + "?next=")
    else:
        assert anonymous.status_code == 302
        assert anonymous.url.startswith(reverse("account_login"))
    client.force_login(world.admin_a)
    signed_in = client.get(url)
    assert signed_in.status_code in (200, 302, 404), signed_in.status_code


ADMIN_PAGES = ["admin:index", "admin:accounts_organization_changelist", "admin:core_auditevent_changelist"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_is_for_coordinators_only(client, world, name):
    url = reverse(name)
    anonymous = client.get(url, follow=True)
    final_url = anonymous.redirect_chain[-1][0]
    assert final_url.startswith(reverse("account_login")), "the admin signs in through allauth (with MFA)"
    client.force_login(world.admin_a)
    assert client.get(url, follow=True).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200


def test_admin_change_pages_answer_coordinators(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:accounts_organization_change", args=[world.org_a.pk])
    assert client.get(url).status_code == 200
    client.force_login(world.admin_a)
    assert client.get(url, follow=True).status_code == 403


def _row_counts():
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        # Sessions change on every request; reads of sensitive pages are audited and material
        # downloads counted by design.
        if m._meta.label not in {"sessions.Session", "core.AuditEvent", "guidebook.Download"}
        and not m._meta.proxy
    }


GET_ENTRIES = [name for name, rule in MATRIX.items() if rule.method == "GET"]


@pytest.mark.parametrize("name", GET_ENTRIES)
def test_get_never_changes_state(client, world, name):
    check_get_is_safe(client, world, MATRIX[name], name)


# --- no existence oracle: another organisation's user cannot tell a real id from a made-up one --

MISSING_ID = 987654321
OWN_AREA = ("core:", "accounts:")
ORACLE_ENTRIES = sorted(
    name
    for name, rule in MATRIX.items()
    if name.startswith(OWN_AREA) and names_an_object(name) and rule.anonymous == LOGIN
)


def _missing(kwargs: dict) -> dict:
    return {k: (MISSING_ID if isinstance(v, int) or str(v).isdigit() else v) for k, v in kwargs.items()}


@pytest.mark.parametrize("name", ORACLE_ENTRIES)
def test_other_organisation_cannot_tell_existing_from_missing(client, world, name):
    rule = MATRIX[name]
    client.force_login(world.admin_b)
    existing_kwargs = rule.kwargs(world)
    missing_kwargs = _missing(existing_kwargs)
    assert missing_kwargs != existing_kwargs, name

    answers = []
    for kwargs in (existing_kwargs, missing_kwargs):
        url = reverse(name, kwargs=kwargs)
        response = client.post(url, rule.data(world)) if rule.method == "POST" else client.get(url)
        answers.append(response.status_code)

    existing, missing = answers
    assert existing == missing, f"{name}: {existing} for a real object, {missing} for a made-up one"
    assert existing in (403, 404), (name, existing)
