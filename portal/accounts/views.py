"""Thin views: authorise through permissions, read through selectors, write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core import confirm, paging

from . import permissions, selectors, services
from .filters import OrganizationFilter
from .forms import (
    AcceptInvitationForm,
    ExpertInvitationForm,
    InvitationForm,
    MfaPolicyForm,
    PartnerOrganizationForm,
    RoleForm,
    VersionForm,
)
from .models import ExpertProfile

PAGE_SIZE = 50


def _error_messages(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _stale(request) -> None:
    messages.error(
        request,
        _(
            "Someone else changed this record while you were looking at it. Nothing was changed; "
            "the page now shows the current state."
        ),
    )


@login_required
@require_POST
def switch_organization(request):
    try:
        membership = services.switch_active_organization(
            request=request, organization_id=int(request.POST.get("organization", "0"))
        )
    except (ValueError, PermissionDenied):
        messages.error(request, _("You are not a member of that organisation."))
        return redirect("core:dashboard")
    messages.success(request, _("You are now working as %(org)s.") % {"org": membership.organization})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("core:dashboard")
    return redirect(next_url)


@login_required
def organization_list(request):
    permissions.require_coordinator(request.user)
    filterset = OrganizationFilter(request.GET, queryset=selectors.organizations_for_list(request.user))
    page = paging.deferred_page(
        filterset.qs, request.GET.get("page"), PAGE_SIZE, rows=selectors.organization_rows
    )
    return render(
        request,
        "accounts/organization_list.html",
        {"filter": filterset, "page": page, "organizations": page.object_list},
    )


@login_required
def organization_create(request):
    permissions.require_coordinator(request.user)
    form = PartnerOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = services.organization_create_partner(
            actor=request.user,
            name=data["name"],
            legal_form=data["legal_form"],
            branch=data["branch"],
            support_types=data["support_types"],
            locations=data["locations"],
        )
        messages.success(request, _("The organisation was added."))
        return redirect("accounts:organization_detail", org.pk)
    return render(request, "accounts/organization_form.html", {"form": form})


@login_required
def organization_detail(request, pk):
    organization = permissions.get_organization_for(request.user, pk)
    can_manage = permissions.can_manage_members(request.user, organization)
    context = {
        "organization": organization,
        "can_manage": can_manage,
        "is_coordinator": permissions.is_coordinator(request.user),
        "members": selectors.members_of(organization),
        "invitations": selectors.invitations_of(organization) if can_manage else [],
        "mfa_form": MfaPolicyForm(initial={"require_mfa": organization.require_mfa}),
        "locations": organization.locations.all(),
        "organization_ct": ContentType.objects.get_for_model(organization).pk,
    }
    return render(request, "accounts/organization_detail.html", context)


@login_required
@require_POST
def organization_mfa_policy(request, pk):
    organization = permissions.get_managed_organization_for(request.user, pk)
    form = MfaPolicyForm(request.POST)
    if form.is_valid():
        try:
            services.organization_set_mfa_policy(
                actor=request.user, organization=organization, require_mfa=form.cleaned_data["require_mfa"]
            )
            messages.success(request, _("The two-factor authentication policy was saved."))
        except ValidationError as exc:
            _error_messages(request, exc)
    return redirect("accounts:organization_detail", organization.pk)


@login_required
@require_http_methods(["GET", "POST"])
def organization_set_active(request, pk, active):
    permissions.require_coordinator(request.user)
    organization = permissions.get_organization_for(request.user, pk)
    if request.method == "GET":
        if active:
            return redirect("accounts:organization_detail", organization.pk)
        return confirm.page(
            request,
            title=_("Deactivate this organisation?"),
            facts=[(_("Organisation"), organization), (_("Kind"), organization.get_kind_display())],
            consequences=[
                _("Every member of the organisation is signed out at once and can no longer open its pages."),
                _("Their personal calendar subscription links stop working."),
                _("The organisation, its records and its history are kept; it can be reactivated later."),
            ],
            button=_("Deactivate organisation"),
            back=reverse("accounts:organization_detail", args=[organization.pk]),
        )
    try:
        services.organization_set_active(actor=request.user, organization=organization, active=active)
        messages.success(
            request,
            _("The organisation was reactivated.") if active else _("The organisation was deactivated."),
        )
    except ValidationError as exc:
        _error_messages(request, exc)
    return redirect("accounts:organization_detail", organization.pk)


@login_required
def invitation_create(request, pk):
    organization = permissions.get_managed_organization_for(request.user, pk)
    roles = permissions.invitable_roles(request.user, organization)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                actor=request.user,
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                organization=organization,
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:organization_detail", organization.pk)
    return render(request, "accounts/invitation_form.html", {"form": form, "organization": organization})


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = permissions.get_invitation_for_manager(request.user, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, _("The invitation was revoked."))
    except ValidationError as exc:
        _error_messages(request, exc)
    if invitation.organization_id:
        return redirect("accounts:organization_detail", invitation.organization_id)
    return redirect("accounts:expert_list")


def invitation_accept(request, token):
    """Public: the link in the invitation email. GET shows the form; POST accepts."""
    try:
        invitation = services.invitation_by_token(token)
    except services.InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invitation.email.lower():
        return render(
            request, "accounts/invitation_wrong_account.html", {"invitation": invitation}, status=403
        )
    existing_account = user is None and selectors.account_exists(invitation.email)
    form = (
        None
        if user or existing_account
        else AcceptInvitationForm(
            request.POST or None, email=invitation.email, initial={"display_name": invitation.display_name}
        )
    )
    if request.method == "POST" and not existing_account and (form is None or form.is_valid()):
        try:
            services.invitation_accept(
                token=token,
                user=user,
                display_name=form.cleaned_data["display_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except services.InvitationInvalid:
            return render(request, "accounts/invitation_invalid.html", status=404)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            if user is not None:
                messages.success(request, _("Welcome! The invitation was accepted."))
                return redirect("core:dashboard")
            messages.success(request, _("Your account was created. Please sign in."))
            return redirect(f"{reverse('account_login')}?email={invitation.email}")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing_account": existing_account},
    )


def _membership_action(request, pk, action):
    membership = permissions.get_membership_for_manager(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete. Please try again."))
        return redirect("accounts:organization_detail", membership.organization_id)
    try:
        action(membership, form.cleaned_data["version"])
    except services.StaleEdit:
        _stale(request)
    except ValidationError as exc:
        _error_messages(request, exc)
    return redirect("accounts:organization_detail", membership.organization_id)


@login_required
@require_http_methods(["GET", "POST"])
def membership_deactivate(request, pk):
    """Ending a membership is irreversible for the person's sessions: GET shows what will happen,
    the POST from that page (with its CSRF token and the version read) does it."""
    if request.method == "GET":
        membership = permissions.get_membership_for_manager(request.user, pk)
        return render(
            request,
            "accounts/membership_deactivate_confirm.html",
            {"membership": membership},
        )

    def act(membership, version):
        services.membership_deactivate(actor=request.user, membership=membership, based_on_version=version)
        messages.success(request, _("%(name)s was deactivated and signed out.") % {"name": membership.user})

    return _membership_action(request, pk, act)


@login_required
@require_POST
def membership_reactivate(request, pk):
    def act(membership, version):
        services.membership_reactivate(actor=request.user, membership=membership, based_on_version=version)
        messages.success(request, _("%(name)s was reactivated.") % {"name": membership.user})

    return _membership_action(request, pk, act)


@login_required
@require_POST
def membership_role(request, pk):
    membership = permissions.get_membership_for_manager(request.user, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                based_on_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The role was changed."))
        except services.StaleEdit:
            _stale(request)
        except ValidationError as exc:
            _error_messages(request, exc)
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("accounts:organization_detail", membership.organization_id)


@login_required
def expert_list(request):
    permissions.require_coordinator(request.user)
    return render(
        request,
        "accounts/expert_list.html",
        {"experts": selectors.experts_for_list(), "invitations": selectors.expert_invitations()[:50]},
    )


@login_required
def expert_invite(request):
    permissions.require_coordinator(request.user)
    form = ExpertInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = services.invitation_create(
                actor=request.user,
                email=data["email"],
                display_name=data["display_name"],
                organization=None,
                panel_discipline=data["panel_discipline"],
                talent_bank_discipline=data["talent_bank_discipline"],
            )
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:expert_list")
    return render(request, "accounts/expert_invite.html", {"form": form})


@login_required
@require_POST
def expert_set_active(request, pk, active):
    permissions.require_coordinator(request.user)
    profile = get_object_or_404(ExpertProfile, pk=pk)
    services.expert_set_active(actor=request.user, profile=profile, active=active)
    messages.success(request, _("Saved."))
    return redirect("accounts:expert_list")
