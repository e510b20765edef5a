"""Every write of the start-up subsidy (立ち上げ支援補助)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.accounts.models import Organization
from portal.accounts.permissions import membership_in, require_coordinator
from portal.accounts.selectors import active_members, coordinators
from portal.core import audit, outbox, reminders, uploads
from portal.core.dates import display, fiscal_year_label, wareki
from portal.core.exceptions import StaleEdit

from .models import YEAR_LIMIT, Application, Call, ChangeRequest, Comment, Document, ExpenseLine, Revision

__all__ = ["StaleEdit", "YearLimitReached", "Incomplete", "OverBudget"]

CLOSING_TIME = dt.time(17, 0)
AREA = "subsidy"  # the notification settings area of the start-up subsidy


class YearLimitReached(ValidationError):
    """The municipality has already received the subsidy for the years the rules allow."""

    def __init__(self, years: list[int]):
        self.years = years
        super().__init__(
            _(
                "Your municipality has already received the start-up subsidy for %(years)s. "
                "The subsidy is limited to %(limit)s years per municipality, "
                "so a further year cannot be applied for."
            )
            % {"years": "・".join(fiscal_year_label(y) for y in years), "limit": YEAR_LIMIT}
        )


class Incomplete(ValidationError):
    """What is still missing before a submission: a list of Japanese sentences."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems)


class OverBudget(ValidationError):
    def __init__(self, remaining: int):
        self.remaining = remaining
        super().__init__(
            _("This amount exceeds what is left of the budget (%(remaining)s yen).")
            % {"remaining": f"{remaining:,}"}
        )


def closing_datetime(day: dt.date) -> dt.datetime:
    """The closing day at 17:00 Tokyo time."""
    return timezone.make_aware(dt.datetime.combine(day, CLOSING_TIME))


def subsidised_share(call: Call, total: int) -> int:
    """The part of ``total`` the subsidy pays: the call's rate (yen rounded down), capped."""
    share = total * call.subsidy_rate // 100
    if call.max_grant is not None:
        share = min(share, call.max_grant)
    return share


def _notify(users, *, title, body="", url=""):
    outbox.notify_all(users, title=title, body=body, url=url, area=AREA)


def _letter(application: Application, template: str, context: dict) -> None:
    """A letter to each member of the applying municipality (the notification stays in the portal)."""
    url = reverse("subsidies:application_detail", args=[application.pk])
    for user in active_members(application.organization):
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template=template,
            context={"application": application, "url": url, **context},
        )
        outbox.notify(user=user, title=context["title"], url=url, email=False, area=AREA)


# --- calls -------------------------------------------------------------------------------------


def call_create(
    *,
    actor,
    fiscal_year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    budget: int,
    report_due: dt.date,
    subsidy_rate: int = 50,
    max_grant: int | None = None,
    required_documents: list[str] | None = None,
    rules: str = "",
) -> Call:
    require_coordinator(actor)
    with transaction.atomic():
        if Call.objects.filter(fiscal_year=fiscal_year).exists():
            raise ValidationError(_("The call for this fiscal year exists already."))
        call = Call.objects.create(
            fiscal_year=fiscal_year,
            opens_on=opens_on,
            closes_at=closing_datetime(closes_on),
            budget=budget,
            report_due=report_due,
            subsidy_rate=subsidy_rate,
            max_grant=max_grant,
            required_documents=list(required_documents or []),
            rules=rules,
            created_by=actor,
        )
        audit.record(actor=actor, action="subsidy_call.create", obj=call)
    return call


CALL_FIELDS = ("opens_on", "budget", "report_due", "subsidy_rate", "max_grant", "required_documents", "rules")


def call_update(*, actor, call: Call, based_on_version: int, closes_on: dt.date, **fields) -> Call:
    require_coordinator(actor)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        fields["closes_at"] = closing_datetime(closes_on)
        changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
        for name, value in fields.items():
            setattr(locked, name, value)
        if "closes_at" in changed:
            locked.reminders_sent = [r for r in locked.reminders_sent if not r.startswith("close")]
        if "report_due" in changed:
            locked.applications.update(reminders_sent=[])
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="subsidy_call.update", obj=locked, details={"fields": changed})
    return locked


def call_open(*, actor, call: Call) -> Call:
    """Publish the call: every municipality's staff are told (irreversible; the page confirms first)."""
    require_coordinator(actor)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.opened_at is not None:
            raise ValidationError(_("The call has been opened already."))
        locked.opened_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["opened_at", "version"])
        audit.record(actor=actor, action="subsidy_call.open", obj=locked)
        url = reverse("subsidies:call_detail", args=[locked.pk])
        from portal.accounts.models import Membership

        members = (
            Membership.objects.active()
            .filter(organization__kind=Organization.Kind.MUNICIPALITY)
            .select_related("user")
        )
        _notify(
            {m.user for m in members},
            title=_("%(year)s start-up subsidy: applications are open until %(close)s")
            % {"year": locked.label, "close": display(locked.closes_at)},
            url=url,
        )
    return locked


# --- the two-year limit ------------------------------------------------------------------------


def years_used(organization, *, exclude_call: Call | None = None) -> list[int]:
    """Fiscal years in which the municipality received the subsidy (a grant decision)."""
    qs = Application.objects.filter(organization=organization, status__in=Application.USED)
    if exclude_call is not None:
        qs = qs.exclude(call=exclude_call)
    return sorted(qs.values_list("call__fiscal_year", flat=True))


def _check_year_limit(organization, call: Call, *, lock: bool = False) -> int:
    """Returns which year of the subsidy ``call`` would be for the municipality, or refuses."""
    if lock:
        # Serialises decisions of the same municipality in different years.
        list(Application.objects.select_for_update().filter(organization=organization).values_list("pk"))
    used = years_used(organization, exclude_call=call)
    if len(used) >= YEAR_LIMIT:
        raise YearLimitReached(used)
    return len(used) + 1


# --- applications ------------------------------------------------------------------------------


def application_start(*, actor, call: Call, organization) -> Application:
    if organization.kind != Organization.Kind.MUNICIPALITY or membership_in(actor, organization.pk) is None:
        raise PermissionDenied
    with transaction.atomic():
        existing = Application.objects.filter(call=call, organization=organization).first()
        if existing is not None:
            return existing
        if not call.accepts_applications():
            raise ValidationError(_("This call does not accept applications now."))
        _check_year_limit(organization, call)
        application = Application.objects.create(call=call, organization=organization, updated_by=actor)
        audit.record(actor=actor, action="subsidy_application.create", obj=application)
    return application


PLAN_FIELDS = ("project_name", "starts_on", "staffing", "partners", "plan")


def application_save(
    *, actor, application: Application, based_on_version: int, plan: dict, lines: list[dict]
):
    """Save the draft: the plan and the expense lines (replacing the previous lines). A save made
    against a version someone else has saved over since is refused; nothing is written."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if membership_in(actor, locked.organization_id) is None:
            raise PermissionDenied
        if not locked.is_editable:
            raise ValidationError(_("The application has been submitted and can no longer be changed."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        changed = [f for f in PLAN_FIELDS if getattr(locked, f) != plan.get(f)]
        for name in PLAN_FIELDS:
            setattr(locked, name, plan.get(name))
        before = [(x.category, x.description, x.planned) for x in locked.lines.all()]
        after = [(x["category"], x["description"], x["planned"]) for x in lines]
        if before != after:
            changed.append("lines")
            locked.lines.all().delete()
            ExpenseLine.objects.bulk_create(
                ExpenseLine(application=locked, order=i, **line) for i, line in enumerate(lines, start=1)
            )
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        audit.record(actor=actor, action="subsidy_application.save", obj=locked, details={"changed": changed})
    return locked


def document_upload(
    *, actor, application: Application, requirement: str, upload, stage=Document.Stage.APPLICATION
):
    """A new version of a required document (its type checked by content)."""
    content_type = uploads.validate_upload(upload)
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if membership_in(actor, locked.organization_id) is None:
            raise PermissionDenied
        if stage == Document.Stage.APPLICATION:
            if not locked.is_editable:
                raise ValidationError(_("The application has been submitted and can no longer be changed."))
            if requirement not in locked.call.required_documents:
                raise ValidationError(_("Unknown document."))
        elif stage == Document.Stage.REPORT and not locked.report_editable:
            raise ValidationError(_("The performance report can no longer be changed."))
        number = (
            locked.documents.filter(stage=stage, requirement=requirement).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        document = Document(
            application=locked,
            stage=stage,
            requirement=requirement,
            number=number,
            original_name=uploads.original_name(upload, requirement),
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        uploads.store(document.file, upload, content_type)
        document.save()
        audit.record(
            actor=actor,
            action="subsidy_document.upload",
            obj=locked,
            details={"stage": stage, "number": number, "content_type": content_type},
        )
    return document


def latest_documents(application: Application, stage=Document.Stage.APPLICATION) -> dict[str, Document]:
    latest: dict[str, Document] = {}
    for doc in application.documents.filter(stage=stage).order_by("requirement", "-number"):
        latest.setdefault(doc.requirement, doc)
    return latest


def missing_for_submission(application: Application) -> list[str]:
    problems = []
    labels = {
        "project_name": _("what the municipality starts"),
        "starts_on": _("starting from"),
        "staffing": pgettext("start-up subsidy", "staff"),
        "plan": _("plan of the project"),
    }
    for name, label in labels.items():
        if not getattr(application, name):
            problems.append(_("Please fill in “%(field)s”.") % {"field": label})
    if not application.lines.exists():
        problems.append(_("Please add at least one expense line."))
    have = latest_documents(application)
    for requirement in application.call.required_documents:
        if requirement not in have:
            problems.append(_("Please upload “%(document)s”.") % {"document": requirement})
    return problems


def _snapshot(application: Application) -> dict:
    return {
        "plan": {f: str(getattr(application, f) or "") for f in PLAN_FIELDS},
        "lines": [
            {"category": x.category, "description": x.description, "planned": x.planned}
            for x in application.lines.all()
        ],
        "documents": {r: d.number for r, d in latest_documents(application).items()},
    }


def _lock(application_id: int, *, member=None) -> Application:
    """The application, row-locked with its call and organisation; with ``member``, only for a
    person acting for the applying municipality."""
    locked = (
        Application.objects.select_for_update().select_related("call", "organization").get(pk=application_id)
    )
    if member is not None and membership_in(member, locked.organization_id) is None:
        raise PermissionDenied
    return locked


def application_submit(
    *, actor, application: Application, based_on_version: int, declared: bool
) -> Application:
    with transaction.atomic():
        locked = _lock(application.pk, member=actor)
        if not locked.is_editable:
            raise ValidationError(_("The application has been submitted already."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if locked.status == Application.Status.DRAFT and not locked.call.accepts_applications():
            raise ValidationError(
                _("The call closed at %(close)s; the application can no longer be submitted.")
                % {"close": display(locked.call.closes_at)}
            )
        problems = missing_for_submission(locked)
        if not declared:
            problems.append(_("Please confirm the declaration."))
        if problems:
            raise Incomplete(problems)
        locked.year_number = _check_year_limit(locked.organization, locked.call, lock=True)
        resubmission = locked.status == Application.Status.RETURNED
        locked.status = Application.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.declared_by, locked.declared_at = actor, locked.submitted_at
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        Revision.objects.create(application=locked, number=number, data=_snapshot(locked), submitted_by=actor)
        audit.record(
            actor=actor, action="subsidy_application.submit", obj=locked, details={"revision": number}
        )
        _notify(
            coordinators(),
            title=(
                _("%(org)s resubmitted its start-up subsidy application (%(year)s)")
                if resubmission
                else _("%(org)s submitted a start-up subsidy application (%(year)s)")
            )
            % {"org": locked.organization, "year": locked.call.label},
            url=reverse("subsidies:application_detail", args=[locked.pk]),
        )
    return locked


def application_return(*, actor, application: Application, comments: dict[str, str]) -> Application:
    """Return for correction with a comment per section; the municipality sees exactly what to fix."""
    require_coordinator(actor)
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    if not comments:
        raise ValidationError(_("Please write what to correct in at least one section."))
    with transaction.atomic():
        locked = _lock(application.pk)
        report = locked.status == Application.Status.REPORTED
        if locked.status != Application.Status.SUBMITTED and not report:
            raise ValidationError(_("Only a submitted application can be returned."))
        round_ = (locked.comments.aggregate(n=Max("round"))["n"] or 0) + 1
        for section, body in comments.items():
            if section not in Comment.Section.values:
                raise ValidationError(_("Unknown section."))
            Comment.objects.create(application=locked, round=round_, section=section, body=body, author=actor)
        locked.status = Application.Status.REPORT_RETURNED if report else Application.Status.RETURNED
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        audit.record(
            actor=actor,
            action="subsidy_application.return",
            obj=locked,
            details={"sections": sorted(comments), "round": round_},
        )
        _letter(
            locked,
            "subsidies/email/returned",
            {
                "title": (
                    _("Your start-up subsidy performance report (%(year)s) was returned for correction")
                    if report
                    else _("Your start-up subsidy application (%(year)s) was returned for correction")
                )
                % {"year": locked.call.label},
                "comments": [(Comment.Section(s).label, b) for s, b in comments.items()],
            },
        )
    return locked


def budget_granted(call: Call, *, exclude: Application | None = None) -> int:
    qs = Application.objects.filter(call=call, status__in=Application.USED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(total=Sum("granted_amount"))["total"] or 0


def _check_budget(call: Call, amount: int, *, exclude: Application | None = None) -> None:
    """Called with the call row locked: the budget is never over-committed."""
    remaining = call.budget - budget_granted(call, exclude=exclude)
    if amount > remaining:
        raise OverBudget(max(remaining, 0))


def _check_within_share(call: Call, application: Application, amount: int) -> None:
    """A granted amount (at the decision or through a change) never exceeds the subsidised share of
    the planned expenses, which the per-municipality upper limit caps."""
    requested = subsidised_share(call, sum(x.planned for x in application.lines.all()))
    if amount > requested:
        raise ValidationError(
            _("The granted amount cannot exceed the subsidised share requested (%(yen)s yen).")
            % {"yen": f"{requested:,}"}
        )


def application_decide(
    *, actor, application: Application, grant: bool, amount: int | None = None, conditions: str = ""
) -> Application:
    """The grant decision (交付決定) with its number, or a refusal. Irreversible."""
    require_coordinator(actor)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        locked = _lock(application.pk)
        if locked.status != Application.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted application can be decided."))
        now = timezone.now()
        if grant:
            if not amount or amount <= 0:
                raise ValidationError(_("Please enter the granted amount."))
            _check_within_share(call, locked, amount)
            locked.year_number = _check_year_limit(locked.organization, call, lock=True)
            _check_budget(call, amount)
            count = Application.objects.filter(call=call).exclude(number="").count()
            locked.number = f"{call.label}立支第{count + 1}号"
            locked.status = Application.Status.GRANTED
            locked.granted_amount = amount
            locked.conditions = conditions
        else:
            locked.status = Application.Status.NOT_GRANTED
            locked.conditions = conditions
        locked.decided_at, locked.decided_by = now, actor
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            action="subsidy_application.grant" if grant else "subsidy_application.refuse",
            obj=locked,
            details={"amount": amount} if grant else {},
        )
        _letter(
            locked,
            "subsidies/email/decided",
            {
                "title": _("The decision on your start-up subsidy application (%(year)s)")
                % {"year": call.label},
                "granted": grant,
            },
        )
    return locked


# --- change requests ---------------------------------------------------------------------------


def change_request(*, actor, application: Application, reason: str, new_amount: int | None) -> ChangeRequest:
    with transaction.atomic():
        locked = _lock(application.pk, member=actor)
        if locked.status != Application.Status.GRANTED:
            raise ValidationError(_("Changes can be requested while the granted project runs."))
        if locked.changes.filter(status=ChangeRequest.Status.PENDING).exists():
            raise ValidationError(_("A change request is already awaiting a decision."))
        if new_amount is not None:
            if new_amount <= 0:
                raise ValidationError(_("Please enter the granted amount."))
            _check_within_share(locked.call, locked, new_amount)
        change = ChangeRequest.objects.create(
            application=locked, reason=reason, new_amount=new_amount, requested_by=actor
        )
        audit.record(actor=actor, action="subsidy_change.request", obj=locked, details={"change": change.pk})
        _notify(
            coordinators(),
            title=_("%(org)s requested a change of its start-up subsidy (%(year)s)")
            % {"org": locked.organization, "year": locked.call.label},
            url=reverse("subsidies:application_detail", args=[locked.pk]),
        )
    return change


def change_decide(*, actor, change: ChangeRequest, approve: bool, response: str = "") -> ChangeRequest:
    require_coordinator(actor)
    with transaction.atomic():
        locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if locked.status != ChangeRequest.Status.PENDING:
            raise ValidationError(_("This change request has been decided already."))
        application = _lock(locked.application_id)
        if approve and application.status != Application.Status.GRANTED:
            raise ValidationError(
                _("A change can only be approved while the granted project runs (before its report).")
            )
        if approve and locked.new_amount is not None:
            call = Call.objects.select_for_update().get(pk=application.call_id)
            _check_within_share(call, application, locked.new_amount)
            _check_budget(call, locked.new_amount, exclude=application)
            application.granted_amount = locked.new_amount
            application.version += 1
            application.save(update_fields=["granted_amount", "version", "updated_at"])
        locked.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
        locked.response, locked.decided_by, locked.decided_at = response, actor, timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            action="subsidy_change.approve" if approve else "subsidy_change.reject",
            obj=application,
            details={"change": locked.pk},
        )
        _letter(
            application,
            "subsidies/email/change_decided",
            {
                "title": _("The decision on your change request (%(year)s start-up subsidy)")
                % {"year": application.call.label},
                "change": locked,
            },
        )
    return locked


# --- the performance report --------------------------------------------------------------------


def report_save(
    *, actor, application: Application, based_on_version: int, summary: str, actuals: dict[int, int | None]
) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if membership_in(actor, locked.organization_id) is None:
            raise PermissionDenied
        if not locked.report_editable:
            raise ValidationError(_("The performance report can no longer be changed."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        lines = {x.pk: x for x in locked.lines.all()}
        changed = ["summary"] if locked.report_summary != summary else []
        for pk, amount in actuals.items():
            line = lines.get(pk)
            if line is None:
                raise ValidationError(_("Unknown expense line."))
            if line.actual != amount:
                line.actual = amount
                line.save(update_fields=["actual"])
                changed.append(f"line:{pk}")
        locked.report_summary = summary
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        audit.record(actor=actor, action="subsidy_report.save", obj=locked, details={"changed": changed})
    return locked


def report_submit(*, actor, application: Application, based_on_version: int) -> Application:
    with transaction.atomic():
        locked = _lock(application.pk, member=actor)
        if not locked.report_editable:
            raise ValidationError(_("The performance report has been submitted already."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        problems = []
        if not locked.report_summary.strip():
            problems.append(_("Please describe what was done."))
        if locked.lines.filter(actual__isnull=True).exists():
            problems.append(_("Please enter the actual amount of every expense line."))
        if problems:
            raise Incomplete(problems)
        locked.status = Application.Status.REPORTED
        locked.report_submitted_at = timezone.now()
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="subsidy_report.submit", obj=locked)
        _notify(
            coordinators(),
            title=_("%(org)s submitted its performance report (%(year)s start-up subsidy)")
            % {"org": locked.organization, "year": locked.call.label},
            url=reverse("subsidies:application_detail", args=[locked.pk]),
        )
    return locked


def proposed_final_amount(application: Application) -> int:
    """The subsidised share of the actual expenses, never more than the grant."""
    actual = sum(x.actual or 0 for x in application.lines.all())
    return min(subsidised_share(application.call, actual), application.granted_amount or 0)


def application_finalize(*, actor, application: Application, final_amount: int) -> Application:
    """The confirmed final amount (額の確定). Irreversible."""
    require_coordinator(actor)
    with transaction.atomic():
        locked = _lock(application.pk)
        if locked.status != Application.Status.REPORTED:
            raise ValidationError(_("The amount is confirmed after the performance report is submitted."))
        if final_amount > (locked.granted_amount or 0):
            raise ValidationError(
                _("The confirmed amount cannot exceed the granted amount (%(yen)s yen).")
                % {"yen": f"{locked.granted_amount:,}"}
            )
        locked.final_amount = final_amount
        locked.finalized_at = timezone.now()
        locked.status = Application.Status.FINAL
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor, action="subsidy_application.finalize", obj=locked, details={"amount": final_amount}
        )
        _letter(
            locked,
            "subsidies/email/finalized",
            {
                "title": _("The confirmed amount of your start-up subsidy (%(year)s)")
                % {"year": locked.call.label}
            },
        )
    return locked


# --- reminders ---------------------------------------------------------------------------------

CLOSE_REMINDERS = (7, 1)
REPORT_REMINDERS = (14, 3)


def send_reminders(today: dt.date | None = None) -> int:
    """Before the closing day (to municipalities with an unsent application) and before the report
    deadline (to granted municipalities without a report). Each reminder is sent once."""
    today = today or timezone.localdate()
    sent = 0
    close_schedule = [(d, f"close-{d}") for d in CLOSE_REMINDERS]
    report_schedule = [(d, f"report-{d}") for d in REPORT_REMINDERS]
    for call in Call.objects.filter(opened_at__isnull=False):
        close_day = timezone.localdate(call.closes_at)
        if reminders.due(close_schedule, day=close_day, today=today, sent=call.reminders_sent):
            with transaction.atomic():
                locked = Call.objects.select_for_update().get(pk=call.pk)
                reminder = reminders.due(
                    close_schedule, day=close_day, today=today, sent=locked.reminders_sent
                )
                if reminder is None:
                    continue
                for application in locked.applications.filter(status__in=Application.EDITABLE).select_related(
                    "organization", "call"
                ):
                    _letter(
                        application,
                        "subsidies/email/closing_reminder",
                        {
                            "title": _("The %(year)s start-up subsidy call closes on %(close)s")
                            % {
                                "year": locked.label,
                                "close": display(locked.closes_at),
                            },
                            "closes_at": locked.closes_at,
                        },
                    )
                    sent += 1
                locked.reminders_sent = reminder[2]
                locked.save(update_fields=["reminders_sent"])
        if reminders.due(report_schedule, day=call.report_due, today=today, sent=()):
            for application in call.applications.filter(
                status__in=(Application.Status.GRANTED, Application.Status.REPORT_RETURNED)
            ).select_related("organization", "call"):
                with transaction.atomic():
                    granted = Application.objects.select_for_update().get(pk=application.pk)
                    reminder = reminders.due(
                        report_schedule, day=call.report_due, today=today, sent=granted.reminders_sent
                    )
                    if reminder is None:
                        continue
                    _letter(
                        application,
                        "subsidies/email/report_reminder",
                        {
                            "title": _("The performance report (%(year)s start-up subsidy) is due on %(due)s")
                            % {"year": call.label, "due": wareki(call.report_due, weekday=True)},
                            "due": call.report_due,
                        },
                    )
                    granted.reminders_sent = reminder[2]
                    granted.save(update_fields=["reminders_sent"])
                    sent += 1
    return sent
