import time
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from brugwerk.access import Action, can
from brugwerk.accounts import selectors, services
from brugwerk.accounts.events import record_account_event
from brugwerk.accounts.forms import (
    AddExistingUserForm,
    InvitationAnswerForm,
    LoginForm,
    OwnEmailForm,
    PasswordConfirmForm,
    PasswordSetForm,
    RoleGrantForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
from brugwerk.accounts.models import User
from brugwerk.accounts.redirects import safe_next
from brugwerk.accounts.selectors import current_region
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.selectors import audit_visible
from brugwerk.audit.services import Actor, client_ip, record, record_list_view
from brugwerk.core.http import SESSION_PASSWORD_CONFIRMED_AT, refused_as_missing, require_recent_password
from brugwerk.core.mail import base_url_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        """Where to go after logging in: `next` only if it is a path on this site (`safe_next`)."""
        request = request or self.request
        value = request.POST.get(self.redirect_field_name, request.GET.get(self.redirect_field_name))
        return safe_next(request, value, default="")


login_view = login_not_required(LoginView.as_view())


def _region_id(request):
    region = current_region(request)
    return region.pk if region else None


def _with_next(request, url_name: str) -> str:
    """The URL of `url_name`, carrying this request's `next` along when it is a path on this site."""
    wanted = safe_next(request, request.GET.get("next"), default="")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': wanted})}" if wanted else url


def otp_verify(request):
    if request.user.is_verified():
        return redirect(safe_next(request, request.GET.get("next")))
    if not user_has_device(request.user, confirmed=True):
        return redirect(_with_next(request, "accounts:otp_setup"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next(request, request.GET.get("next")))
        record_account_event(actor=Actor.from_request(request), event=AuditEvent.OTP_FAILED, user=request.user)
        form.add_error("token", _("This code is not right (or has expired). Enter the current code."))
    return render(request, "accounts/otp_verify.html", {"form": form})


def otp_setup(request):
    if user_has_device(request.user, confirmed=True):
        return redirect(_with_next(request, "accounts:otp_verify"))
    device = services.otp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.otp_device_confirm(
            actor=Actor.from_request(request), device=device, token=form.cleaned_data["token"],
            region_id=_region_id(request),
        )
        if confirmed:
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(safe_next(request, request.GET.get("next")))
        form.add_error("token", _("This code is not right (or has expired). Enter the current code."))
    buffer = BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):].replace("<svg", '<svg role="img" aria-label="QR"', 1)
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr_svg": mark_safe(svg),  # generated here from our own device key, not user input  # noqa: S308
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/otp_setup.html", context)


logout_view = auth_views.LogoutView.as_view()


# --- User management: pages for the managers (coordinator, administrator) of the current region ------

USERS_PER_PAGE = 50


def _other_region_message() -> str:
    return _(
        "This person already works in another region. Only the coordinator of this region can add them here."
    )


def _managed_region(request):
    """The current region, if the user manages its people; 404 otherwise (as for anything hidden)."""
    region = current_region(request)
    if not selectors.can_manage_users(user=request.user, region=region):
        raise Http404
    return region


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's validation errors on the form fields they name, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _role_form(form_class, request, region, *, subject=None, **kwargs):
    """A role form offering only the roles the user may grant here (to `subject`, if known)."""
    schools, organisations = selectors.role_targets(user=request.user, region=region)
    roles = selectors.grantable_roles(user=request.user, region=region, subject=subject)
    return form_class(request.POST or None, schools=schools, organisations=organisations, roles=roles, **kwargs)


def user_list(request):
    region = _managed_region(request)
    form = UserSearchForm(request.GET or None)
    query, second_factor = form.query(), form.second_factor()
    users = selectors.user_list_for(
        user=request.user, region=region, query=query, second_factor=second_factor
    )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(
        actor=Actor.from_request(request), model=User, region_id=region.pk, label=f"{region.name}: users",
        details={"query": query, "second_factor": second_factor, "page": page.number,
                 "shown": [u.pk for u in page.object_list]},
    )
    may_create = can(request.user, Action.CREATE, User, region=region)
    context = {
        "form": form,
        "page": page,
        "region": region,
        "can_create": may_create,
        "querystring": _querystring_without_page(request),
    }
    template = "accounts/user_list.html#results" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def user_detail(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk)
    roles = selectors.user_roles_in_region(user=request.user, region=region, subject=subject)
    record(actor=Actor.from_request(request), event=AuditEvent.VIEW, subject=subject, region_id=region.pk)
    may_change = can(request.user, Action.CHANGE, subject)
    context = {
        "subject": subject,
        "region": region,
        "active_roles": [(m, can(request.user, Action.DELETE, m)) for m in roles if m.is_active],
        "revoked_roles": [m for m in roles if not m.is_active],
        "can_change": may_change,
        "can_grant": bool(selectors.grantable_roles(user=request.user, region=region, subject=subject)),
        "can_see_audit": audit_visible(user=request.user, region=region),
        "subject_type": User._meta.label_lower,
    }
    return render(request, "accounts/user_detail.html", context)


@require_http_methods(["GET", "POST"])
def user_create(request):
    region = _managed_region(request)
    if not can(request.user, Action.CREATE, User, region=region):
        raise Http404
    form = _role_form(UserCreateForm, request, region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=Actor.from_request(request), region=region, username=data["username"],
                first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                role=data["role"], school=data["school"], organisation=data["organisation"],
                base_url=base_url_of(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may not add people to this region with this role."))
        else:
            messages.success(request, _(
                "The user was created. They received an e-mail with a link to set their password."
            ))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
def user_add_existing(request):
    """Invite someone who already has an account. The answer is the same whether or not the login
    names an account (and whether or not it is one this user could give the role): the same message
    and the same redirect to this page, which lists the region's invitations as they were typed."""
    region = _managed_region(request)
    form = _role_form(AddExistingUserForm, request, region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(
                actor=Actor.from_request(request), region=region, login=data["login"], role=data["role"],
                school=data["school"], organisation=data["organisation"], base_url=base_url_of(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error("role", _("You may not give this role."))
        else:
            messages.success(request, _(
                "If an account with this username or e-mail address exists, its owner gets an invitation by "
                "e-mail. They get the role once they accept it; until then you see only the invitation below."
            ))
            return redirect("accounts:user_add_existing")
    context = {
        "form": form,
        "region": region,
        "invitations": selectors.invitations_sent_in(user=request.user, region=region),
    }
    return render(request, "accounts/user_add_existing.html", context)


@require_http_methods(["GET", "POST"])
def role_grant(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk)
    form = _role_form(RoleGrantForm, request, region, subject=subject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                actor=Actor.from_request(request), user=subject, region=region, role=data["role"],
                school=data["school"], organisation=data["organisation"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _other_region_message())
        else:
            messages.success(request, _("The role was granted."))
            return redirect("accounts:user_detail", pk=subject.pk)
    context = {
        "form": form,
        "subject": subject,
        "region": region,
        "nothing_to_grant": len(form.fields["role"].choices) <= 1,
    }
    return render(request, "accounts/role_grant.html", context)


@require_http_methods(["GET", "POST"])
def role_revoke(request, pk: int, membership_pk: int):
    region = _managed_region(request)
    membership = selectors.membership_get_for_revoke(
        user=request.user, region=region, subject_pk=pk, pk=membership_pk
    )
    if request.method == "POST":
        services.membership_revoke(actor=Actor.from_request(request), membership=membership)
        messages.success(request, _("The role was revoked."))
        return redirect("accounts:user_detail", pk=pk)
    context = {"membership": membership, "subject": membership.user}
    return render(request, "accounts/role_revoke.html", context)


@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk, action=Action.CHANGE)
    form = UserEditForm(request.POST or None, instance=subject,
                        email_locked=selectors.email_change_locked(subject=subject))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=Actor.from_request(request), user=subject, region_id=region.pk,
                                 **form.cleaned_data)
        except ValidationError as error:
            subject.refresh_from_db()
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("accounts:user_detail", pk=subject.pk)
    return render(request, "accounts/user_edit.html", {"form": form, "subject": subject})


@refused_as_missing()
@require_http_methods(["GET", "POST"])
def user_set_password(request, pk: int):
    """Send the person a one-time link to set a new password. Nobody sets or learns another person's
    password: the link goes to the address on the account, and this page never shows it."""
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk, action=Action.CHANGE)
    if request.method == "POST":
        try:
            services.password_link_send(actor=Actor.from_request(request), user=subject, region_id=region.pk,
                                        base_url=base_url_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _(
                "A link to set a password was sent to the e-mail address of this account. It works once."
            ))
        return redirect("accounts:user_detail", pk=subject.pk)
    return render(request, "accounts/user_set_password.html", {"subject": subject})


@require_http_methods(["GET", "POST"])
def user_otp_reset(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk, action=Action.CHANGE)
    if request.method == "POST":
        try:
            services.otp_devices_reset(actor=Actor.from_request(request), user=subject, region_id=region.pk,
                                       base_url=base_url_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _(
                "Two-factor authentication was reset and the password cleared. The person received an e-mail "
                "with a link to set a new password; they set up two-factor authentication again after that."
            ))
        return redirect("accounts:user_detail", pk=subject.pk)
    return render(request, "accounts/user_otp_reset.html", {"subject": subject})


# --- My account: every user ----------------------------------------------------------------------


def my_account(request):
    region = current_region(request)
    record(actor=Actor.from_request(request), event=AuditEvent.VIEW, subject=request.user,
           region_id=region.pk if region else None)
    context = {
        "roles": selectors.own_roles(user=request.user),
        "has_second_factor": selectors.has_second_factor(user=request.user),
        "has_password": request.user.has_usable_password(),
        "invitations": selectors.invitations_open_for(user=request.user),
    }
    return render(request, "accounts/my_account.html", context)


@require_http_methods(["POST"])
def invitation_answer(request, pk: int):
    """Accept or decline an invitation to a role (from My account); someone else's gives a 404."""
    invitation = selectors.invitation_get_for_invitee(user=request.user, pk=pk)
    form = InvitationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to decline the invitation."))
        return redirect("accounts:my_account")
    actor = Actor.from_request(request)
    try:
        if form.cleaned_data["answer"] == "accept":
            membership = services.invitation_accept(actor=actor, invitation=invitation)
        else:
            services.invitation_decline(actor=actor, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["answer"] == "accept":
            messages.success(request, _("You now hold the role %(role)s in %(region)s.") % {
                "role": membership.get_role_display(), "region": invitation.region.name})
        else:
            messages.success(request, _("You declined the invitation."))
    return redirect("accounts:my_account")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page behind a one-time link (a new account, a reset, a second factor reset): Django's
    password-reset confirmation (it checks the token, keeps it out of the address bar), saved through
    the service so that it is recorded. The token dies once the password is set."""

    template_name = "accounts/password_set.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("accounts:login")
    reset_url_token = "zetten"

    def form_valid(self, form):
        services.password_set_with_link(user=form.user, password=form.cleaned_data["new_password1"],
                                        ip=client_ip(self.request))
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Log in with it."))
        return HttpResponseRedirect(self.get_success_url())


password_set = login_not_required(PasswordSetView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own password change (old password, validators), saved through the service so that
    the change is in the audit trail. A wrong old password counts like a wrong re-entered one
    (`password_failed`): recorded, and five of them end the session."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_account")

    def form_valid(self, form):
        services.user_set_password(
            actor=Actor.from_request(self.request), user=form.user,
            password=form.cleaned_data["new_password1"], region_id=_region_id(self.request),
        )
        update_session_auth_hash(self.request, form.user)
        self.request.session.pop(SESSION_PASSWORD_FAILURES, None)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            logged_out = password_failed(self.request, step="password change")
            if logged_out is not None:
                return logged_out
        return super().form_invalid(form)


password_change = PasswordChangeView.as_view()


# --- Re-entering the password before sensitive steps (after healthchecks' require_sudo_mode) ------

PASSWORD_CONFIRM_ATTEMPTS = 5
SESSION_PASSWORD_FAILURES = "brugwerk_password_confirm_failures"


def password_failed(request, *, step: str):
    """A logged-in user gave a wrong password (re-entering it, or the old one when changing it): a
    failed login in the trail of each of their regions, with the step. The wrong passwords of both
    steps count together; at the fifth in this session the user is logged out, and the redirect to
    the login page is returned. Otherwise None, and the page shows its error."""
    failures = int(request.session.get(SESSION_PASSWORD_FAILURES, 0)) + 1
    record_account_event(actor=Actor.from_request(request), event=AuditEvent.LOGIN_FAILED, user=request.user,
                         changes={"step": step})
    if failures >= PASSWORD_CONFIRM_ATTEMPTS:
        logout(request)
        messages.error(request, _("The password was wrong too many times. Please log in again."))
        return redirect("accounts:login")
    request.session[SESSION_PASSWORD_FAILURES] = failures
    return None


@require_http_methods(["GET", "POST"])
def confirm_password(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            request.session[SESSION_PASSWORD_CONFIRMED_AT] = time.time()
            request.session.pop(SESSION_PASSWORD_FAILURES, None)
            return HttpResponseRedirect(next_url)
        logged_out = password_failed(request, step="password confirmation")
        if logged_out is not None:
            return logged_out
        form.add_error("password", _("This password is not right. Please try again."))
    return render(request, "accounts/confirm_password.html", {"form": form, "next": next_url})


# --- My account: the owner changes their e-mail address (after re-entering their password) ------------


@require_recent_password
@require_http_methods(["GET", "POST"])
def my_email(request):
    form = OwnEmailForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.own_email_change(actor=Actor.from_request(request), email=form.cleaned_data["email"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your e-mail address was changed. Your old address was told."))
            return redirect("accounts:my_account")
    return render(request, "accounts/my_email.html", {"form": form})
