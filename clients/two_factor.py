"""Two-factor sign-in with a TOTP app (django-otp): optional, or required by the practice owner."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import User
from .permissions import specialist_required

WRONG_CODE = "That code did not match. Check the time on your phone and try the newest code."

# Pages a signed-in user may reach before the second step (or to set it up).
EXEMPT_NAMES = {"two_factor_setup", "two_factor_verify", "two_factor_disable", "logout"}


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@receiver(post_save, sender=TOTPDevice)
@receiver(post_delete, sender=TOTPDevice)
def _remember_device(sender, instance, **kwargs):
    """Keep User.has_totp_device true exactly when the user has a confirmed device."""
    has = TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True).exists()
    User.objects.filter(pk=instance.user_id).update(has_totp_device=has)


def required_for(user) -> bool:
    """The practice owner made two-factor sign-in required for its members."""
    practice = user.practice if user.is_authenticated else None
    return bool(practice and practice.require_2fa)


class TwoFactorMiddleware:
    """A user with a TOTP device, or whose practice requires one, passes the second step first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _exempt(request):
            if user.has_totp_device:
                return redirect(f"{reverse('clients:two_factor_verify')}?next={request.path}")
            if required_for(user):
                return redirect("clients:two_factor_setup")
        return self.get_response(request)


def _exempt(request) -> bool:
    match = request.resolver_match or _resolve(request.path_info)
    if match is None:
        return request.path_info.startswith("/static/")
    return match.url_name in EXEMPT_NAMES


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def qr_svg(data: str, size: int = 200) -> str:
    """The QR code of ``data`` as an SVG document, drawn with reportlab (no extra library)."""
    # Imported here: only the set-up page draws a QR code, and renderSVG is slow to import.
    from reportlab.graphics import renderSVG
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(data)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return renderSVG.drawToString(drawing)


SETUP_KEY = "realign_totp_setup_key"


@specialist_required
def setup(request):
    """Pair an authenticator app: scan the code (or type the key), then confirm one code.

    The key waits in the session until a code proves the pairing: a GET changes nothing.
    """
    device = confirmed_device(request.user)
    if device is not None and request.user.is_verified():
        return render(request, "registration/two_factor_status.html", {"device": device})
    key = request.session.get(SETUP_KEY) or random_hex(20)
    request.session[SETUP_KEY] = key
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if code.isdigit() and TOTP(bytes.fromhex(key)).verify(int(code), tolerance=1):
            TOTPDevice.objects.filter(user=request.user).delete()
            device = TOTPDevice.objects.create(
                user=request.user, name="Authenticator app", key=key, confirmed=True
            )
            del request.session[SETUP_KEY]
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is on for your account.")
            return redirect("home")
        form.add_error("code", WRONG_CODE)
    unsaved = TOTPDevice(user=request.user, name="Authenticator app", key=key)
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_b64": base64.b64encode(qr_svg(unsaved.config_url).encode()).decode(),
            "required": required_for(request.user),
        },
    )


def verify(request):
    """The second step of signing in."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("home")
    form = CodeForm(request.POST or None)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(next_url or "home")
        form.add_error("code", WRONG_CODE)
    return render(request, "registration/two_factor_verify.html", {"form": form})


@require_POST
def disable(request):
    if required_for(request.user):
        messages.error(request, "Your practice requires two-factor sign-in.")
    else:
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, "Two-factor sign-in is off for your account.")
    return redirect("home")
