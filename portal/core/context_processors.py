import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .registry import people


def _navigation(user, roles, memberships, membership):
    """The signed-in navigation: a few labelled groups, each link only for the roles that may use it."""
    coordinator = "coordinator" in roles
    profile = people().expert_profile(user)
    panel_expert = profile is not None and bool(getattr(profile, "panel_discipline", ""))
    bank_expert = profile is not None and bool(getattr(profile, "talent_bank_discipline", ""))
    org = membership.organization if membership else None
    municipality = org is not None and org.kind == "municipality"
    partner = org is not None and org.kind == "partner"
    member = bool(memberships)
    org_admin = any(m.is_admin for m in memberships)

    groups = [
        (
            _("Home"),
            [
                (_("Dashboard"), "core:dashboard", (), True),
                (_("Notifications"), "core:notification_list", (), True),
            ],
        ),
        (
            _("Cases and meetings"),
            [
                (
                    _("Expert panel cases"),
                    "casereviews:case_list",
                    (),
                    coordinator or panel_expert or municipality,
                ),
                (
                    _("Case review meetings"),
                    "casereviews:meeting_list",
                    (),
                    coordinator or profile is not None,
                ),
                (
                    _("Talent bank"),
                    "partners:consultation_list",
                    (),
                    coordinator or bank_expert or partner,
                ),
                (_("Free consultation slots"), "partners:slot_list", (), partner),
                (_("My availability"), "partners:availability", (), bank_expert),
                (_("Conflicts of interest"), "casereviews:conflict_list", (), coordinator or panel_expert),
                (_("Touring consultation"), "outreach:host_list", (), coordinator or municipality),
                (_("Home-visit referrals"), "outreach:referral_list", (), coordinator or municipality),
                (_("Residents' applications"), "residents:application_list", (), coordinator),
                (_("Mail consultation inbox"), "consultations:inbox", (), "counsellor" in roles),
                (_("Consultation records"), "consultations:record_list", (), "counsellor" in roles),
                (_("Consultation statistics"), "consultations:statistics", (), "counsellor" in roles),
            ],
        ),
        (
            _("Training and exchange meetings"),
            [
                (_("Training"), "training:catalogue", (), member or coordinator),
                (_("Training record"), "training:transcript", (), member and not coordinator),
                (_("Training by organisation"), "training:organization", (), org_admin and not coordinator),
                (_("Exchange meetings"), "meetings:event_list", (), member),
            ],
        ),
        (
            _("Organisations and windows"),
            [
                (
                    _("My organisation"),
                    "accounts:organization_detail",
                    (org.pk,) if org else (),
                    org is not None and not org.is_secretariat,
                ),
                (
                    _("Network-building programme"),
                    "municipalities:programme_list",
                    (),
                    coordinator or municipality,
                ),
                (_("Hearing sheets"), "municipalities:sheet_list", (), coordinator or municipality),
                (_("Blind review"), "casereviews:blind_review_default", (), municipality and org_admin),
                (_("Our consultation windows"), "windows:window_mine", (), municipality),
                (_("Start-up subsidy"), "subsidies:call_list", (), coordinator or municipality),
                (_("Subsidy applications"), "subsidies:application_list", (), coordinator or municipality),
                (_("Consultation window confirmations"), "windows:window_status", (), coordinator),
                (_("Organisations"), "accounts:organization_list", (), coordinator),
                (_("Experts"), "accounts:expert_list", (), coordinator),
            ],
        ),
        (
            _("Documents"),
            [
                (_("Guidebook"), "guidebook:edition_list", (), True),
                (_("Materials"), "guidebook:material_list", (), True),
                (_("Download statistics"), "guidebook:download_stats", (), coordinator),
                (_("News posts"), "news:manage_list", (), coordinator or municipality or partner),
                (_("Our directory entry"), "directory:partner_entry", (), partner),
                (_("Directory changes to review"), "directory:review_list", (), coordinator),
                (_("Support institutions"), "directory:institution_manage", (), coordinator),
            ],
        ),
        (
            _("Administration"),
            [
                (_("Audit log"), "core:audit_list", (), coordinator),
                (_("Messages to groups"), "mailings:list", (), coordinator),
                (_("Outgoing email"), "core:outbox_list", (), coordinator),
                (_("Admin"), "admin:index", (), coordinator),
            ],
        ),
        (
            _("Account"),
            [
                (_("Account"), "account_email", (), True),
                (_("Two-factor authentication"), "mfa_index", (), True),
                (_("Calendar"), "core:calendar_settings", (), True),
                (_("Email notifications"), "core:notification_preferences", (), True),
            ],
        ),
    ]
    return [
        (label, [(text, name, args) for text, name, args, allowed in items if allowed])
        for label, items in groups
        if any(allowed for *_link, allowed in items)
    ]


_MENUS: dict[tuple, str] = {}
MENU_CACHE_SIZE = 4096


def navigation_html(groups, *, path: str, unread: int) -> str:
    """The menu's markup (templates/components/site_nav.html). About forty links, each rendered
    through the template engine, cost a coordinator's page a few milliseconds; the markup depends
    only on which links are shown (name and address), which one is the current page, the unread
    count and the language, so it is rendered once per combination of those and kept in the
    process (labels are fixed texts, never data)."""
    menu = [[(text, name, _url(name, args)) for text, name, args in links] for _label, links in groups]
    current = next((url for links in menu for _t, _n, url in links if url == path), None)
    key = (get_language(), unread, current, tuple(tuple((n, u) for _t, n, u in links) for links in menu))
    html = _MENUS.get(key)
    if html is None:
        navigation = [
            {
                "label": label,
                "links": [{"label": t, "url": u, "name": n, "current": u == current} for t, n, u in links],
            }
            for (label, _items), links in zip(groups, menu, strict=True)
        ]
        html = render_to_string(
            "components/site_nav.html", {"portal_navigation": navigation, "unread_notifications": unread}
        )
        if len(_MENUS) >= MENU_CACHE_SIZE:
            _MENUS.clear()
        _MENUS[key] = html
    return html


@functools.lru_cache(maxsize=4096)
def _url(name: str, args: tuple) -> str:
    """A menu link's address. The menu has about forty links on every page and the addresses do
    not change while the process runs (no language prefix), so each is reversed once."""
    return reverse(name, args=args)


def portal(request):
    permissions = people()
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    roles = permissions.roles_of(user) if signed_in else set()
    memberships = permissions.active_memberships(user) if user is not None else []
    membership = getattr(request, "membership", None)
    unread = 0
    if signed_in:
        unread = getattr(user, "portal_unread", None)  # counted when the person was loaded
        if unread is None:
            unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "portal_roles": roles,
        "portal_memberships": memberships,
        "active_membership": membership,
        "unread_notifications": unread,
        "portal_navigation": navigation_html(
            _navigation(user, roles, memberships, membership), path=request.path, unread=unread
        )
        if signed_in
        else "",
        "LANGUAGES": settings.LANGUAGES,
    }
