from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from brugwerk.accounts import services
from brugwerk.accounts.forms import LoginForm, TokenForm
from brugwerk.accounts.selectors import current_region
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record


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
