"""The registrant's own pages for a seat (an exchange meeting's or a training session's): change
the attendance mode and access needs until the deadline, or leave after a confirmation. Both apps'
views check who may manage the registration and hand over their service and template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import StaleEdit
from .forms import SeatChangeForm, rebase


def manage(request, registration, *, occasion, title, update, done, leave_url, position, context):
    """``occasion``: the meeting or session (``has_online``, dates, ``registration_deadline``) and
    its ``title``; ``update``: the app's ``registration_update`` service; ``done``: the occasion's
    page, where a saved change goes; ``leave_url``: the app's leave page for this registration."""
    form = SeatChangeForm(
        request.POST or None,
        online=occasion.has_online,
        initial={
            "mode": registration.mode,
            "accessibility": registration.accessibility,
            "version": registration.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            update(
                actor=request.user,
                registration=registration,
                mode=form.cleaned_data.get("mode", registration.mode),
                accessibility=form.cleaned_data["accessibility"],
                based_on_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The registration was changed."))
            return redirect(done)
        except StaleEdit as exc:
            form.add_error(
                None,
                _(
                    "This registration was changed in the meantime (now: %(mode)s, %(status)s). "
                    "Your input is kept; check it and save again."
                )
                % {"mode": exc.current.get_mode_display(), "status": exc.current.get_status_display()},
            )
            rebase(form, exc.current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "core/seat_manage.html",
        {
            "registration": registration,
            "form": form,
            "position": position,
            "open": timezone.now() <= occasion.registration_deadline,
            "occasion": occasion,
            "occasion_title": title,
            "occasion_url": done,
            "leave_url": leave_url,
            **context,
        },
        status=400 if form.errors else 200,
    )


def leave(request, registration, *, cancel, title, done, manage_url, position, context):
    """Leaving cannot be undone: the confirmation page first, then ``cancel`` (the app's service);
    ``done``: the occasion's page; ``manage_url``: back to the registration's page."""
    if registration.status == "cancelled":
        return redirect(done)
    if not (request.method == "POST" and request.POST.get("confirmed")):
        page = {"occasion_title": title, "occasion_url": done, "manage_url": manage_url}
        return render(
            request,
            "core/seat_leave.html",
            {"registration": registration, "position": position, **page, **context},
        )
    try:
        cancel(actor=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("You left the waiting list.")
            if registration.status == "waitlisted"
            else _("The registration was cancelled."),
        )
    return redirect(done)
