import time
from functools import wraps
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
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from brugwerk.access import Action, can
from brugwerk.accounts import selectors, services
from brugwerk.accounts.forms import (
    AddExistingUserForm,
    InitialPasswordForm,
    LoginForm,
    PasswordConfirmForm,
    RoleGrantForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
)
from brugwerk.accounts.models import Membership, User
from brugwerk.accounts.selectors import current_region
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.selectors import audit_visible
from brugwerk.audit.services import Actor, record, record_list_view


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = login_not_required(LoginView.as_view())


def _region_id(request):
    region = current_region(request)
    return region.pk if region else None


def otp_verify(request):
    if request.user.is_verified():
        return redirect("home:start")
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(request.GET.get("next") or "home:start")
        record(actor=Actor.from_request(request), event=AuditEvent.OTP_FAILED, subject=request.user,
               region_id=_region_id(request))
        form.add_error("token", _("This code is not right (or has expired). Enter the current code."))
    return render(request, "accounts/otp_verify.html", {"form": form})


def otp_setup(request):
    if user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_verify")
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
            return redirect("home:start")
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


def _role_form(form_class, request, region, **kwargs):
    schools, organisations = selectors.role_targets(user=request.user, region=region)
    return form_class(request.POST or None, schools=schools, organisations=organisations, **kwargs)


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
        "can_grant": can(request.user, Action.CREATE, Membership(user=subject, region=region)),
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
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may not add people to this region."))
        else:
            if can(request.user, Action.CHANGE, user):
                messages.success(
                    request, _("The user was created. Set an initial password so they can log in.")
                )
            else:
                messages.success(request, _(
                    "The user was created. The administrator sets their initial password so they can log in."
                ))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
def user_add_existing(request):
    region = _managed_region(request)
    form = _role_form(AddExistingUserForm, request, region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = selectors.user_find_by_login(user=request.user, region=region, login=data["login"])
        if found is None:
            form.add_error("login", _("There is no account with this username or e-mail address."))
        else:
            try:
                services.membership_grant(
                    actor=Actor.from_request(request), user=found, region=region, role=data["role"],
                    school=data["school"], organisation=data["organisation"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied:
                form.add_error("login", _other_region_message())
            else:
                messages.success(request, _("%(name)s was added to this region.") % {"name": found})
                return redirect("accounts:user_detail", pk=found.pk)
    return render(request, "accounts/user_add_existing.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
def role_grant(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk)
    form = _role_form(RoleGrantForm, request, region)
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
    return render(request, "accounts/role_grant.html", {"form": form, "subject": subject, "region": region})


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
    form = UserEditForm(request.POST or None, instance=subject)
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


@require_http_methods(["GET", "POST"])
def user_set_password(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk, action=Action.CHANGE)
    form = InitialPasswordForm(subject, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=Actor.from_request(request), user=subject,
                                       password=form.cleaned_data["new_password1"], region_id=region.pk)
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            messages.success(request, _("The password was set. Pass it on to the person in a safe way."))
            return redirect("accounts:user_detail", pk=subject.pk)
    return render(request, "accounts/user_set_password.html", {"form": form, "subject": subject})


@require_http_methods(["GET", "POST"])
def user_otp_reset(request, pk: int):
    region = _managed_region(request)
    subject = selectors.user_get_for_manager(user=request.user, region=region, pk=pk, action=Action.CHANGE)
    if request.method == "POST":
        services.otp_devices_reset(actor=Actor.from_request(request), user=subject, region_id=region.pk)
        messages.success(
            request, _("Two-factor authentication was reset. They set it up again at their next login.")
        )
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
    }
    return render(request, "accounts/my_account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own password change (old password, validators), saved through the service so that
    the change is in the audit trail."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_account")

    def form_valid(self, form):
        services.user_set_password(
            actor=Actor.from_request(self.request), user=form.user,
            password=form.cleaned_data["new_password1"], region_id=_region_id(self.request),
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


password_change = PasswordChangeView.as_view()


# --- Re-entering the password before sensitive steps (after healthchecks' require_sudo_mode) ------

RECENT_PASSWORD_SECONDS = 10 * 60
PASSWORD_CONFIRM_ATTEMPTS = 5
SESSION_PASSWORD_CONFIRMED_AT = "brugwerk_password_confirmed_at"
SESSION_PASSWORD_FAILURES = "brugwerk_password_confirm_failures"


def password_recently_confirmed(request) -> bool:
    confirmed_at = request.session.get(SESSION_PASSWORD_CONFIRMED_AT)
    if not isinstance(confirmed_at, int | float):
        return False
    return 0 <= time.time() - confirmed_at < RECENT_PASSWORD_SECONDS


def require_recent_password(view):
    """Send the user to re-enter their password unless they did so in the last ten minutes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if password_recently_confirmed(request):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:confirm_password')}?{query}")

    return wrapper


@require_http_methods(["GET", "POST"])
def confirm_password(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("home:start")
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            request.session[SESSION_PASSWORD_CONFIRMED_AT] = time.time()
            request.session.pop(SESSION_PASSWORD_FAILURES, None)
            return HttpResponseRedirect(next_url)
        failures = int(request.session.get(SESSION_PASSWORD_FAILURES, 0)) + 1
        record(actor=Actor.from_request(request), event=AuditEvent.LOGIN_FAILED, subject=request.user,
               region_id=_region_id(request), changes={"step": "password confirmation"})
        if failures >= PASSWORD_CONFIRM_ATTEMPTS:
            logout(request)
            messages.error(request, _("The password was wrong too many times. Please log in again."))
            return redirect("accounts:login")
        request.session[SESSION_PASSWORD_FAILURES] = failures
        form.add_error("password", _("This password is not right. Please try again."))
    return render(request, "accounts/confirm_password.html", {"form": form, "next": next_url})
