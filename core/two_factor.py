"""Two-factor sign-in with a TOTP app (django-otp): optional, or required by the practice owner.

The middleware, device helpers, signals, forms and writes; the pages are in core/views.py.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from clients.models import User

from .account_notices import Notice, send_after_commit

WRONG_CODE = "That code did not match. Check the time on your phone and try the newest code."
WRONG_PASSWORD = "That is not your password, nor a current code from your authenticator app."
REQUIRED_BY_PRACTICE = "Your practice requires two-factor sign-in, so it stays on."

TURNED_OFF = Notice(
    subject="Two-factor sign-in was turned off",
    what_happened="Two-factor sign-in was turned off",
)
REPLACED = Notice(
    subject="Your authenticator app was replaced",
    what_happened="A new authenticator app replaced the old one for two-factor sign-in",
)

# The only pages of a session that has passed the password but not the code: anything else
# (setting up or turning off two-factor included) would let the password alone through.
BEFORE_THE_CODE = frozenset({"core:two_factor_verify", "logout"})
# A user with no device yet, whose practice requires one, may also pair a first device:
# there is no second factor to bypass until then.
FIRST_DEVICE = BEFORE_THE_CODE | {"core:two_factor_setup"}


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
        if user.is_authenticated and not user.is_verified():
            if user.has_totp_device and not _one_of(request, BEFORE_THE_CODE):
                return to_code_step(request)
            needs_first_device = not user.has_totp_device and required_for(user)
            if needs_first_device and not _one_of(request, FIRST_DEVICE):
                return redirect("core:two_factor_setup")
        return self.get_response(request)


def to_code_step(request):
    """Send a session that has not entered its code yet to "enter your code"."""
    url = reverse("core:two_factor_verify")
    return redirect(f"{url}?{urlencode({'next': request.path})}")


def _one_of(request, view_names: frozenset[str]) -> bool:
    # The full "namespace:name": a bare name could match another app's page of that name.
    match = request.resolver_match or _resolve(request.path_info)
    if match is None:
        return request.path_info.startswith("/static/")
    return match.view_name in view_names


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def digits_only(text: str) -> bool:
    """True for a run of ASCII digits: str.isdigit alone also passes "²", which int refuses."""
    return text.isascii() and text.isdigit()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class PairForm(CodeForm):
    """The first code of a newly scanned key: it proves the app is paired."""

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def clean_code(self):
        code = super().clean_code()
        if not (digits_only(code) and TOTP(bytes.fromhex(self.key)).verify(int(code), tolerance=1)):
            raise forms.ValidationError(WRONG_CODE)
        return code


class PasswordAgainForm(forms.Form):
    """The password once more (or a current code) before two-factor is turned off or replaced.

    A verified session left open, or a stolen session cookie, is not enough on its own.
    """

    password = forms.CharField(
        label="Your password, or the current code from your authenticator app",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        secret = self.cleaned_data["password"]
        if not proves_identity(self.request, secret):
            raise forms.ValidationError(WRONG_PASSWORD)
        return secret


class ReplaceForm(PairForm, PasswordAgainForm):
    """The new app's first code and the password: both in one form."""

    field_order = ["code", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "6-digit code from the new app"
        self.fields["password"].label = "Your password, or a current code from the old app"


def proves_identity(request, secret: str) -> bool:
    """The signed-in user's password, or a current code of their device (each code works once).

    Passwords go through ``authenticate``, so django-axes counts wrong ones like failed
    sign-ins and pauses them the same way; codes go through the device's own throttle.
    """
    user = request.user
    device = confirmed_device(user)
    code = "".join(secret.split())
    # Passwords have 12 characters at least (settings.AUTH_PASSWORD_VALIDATORS): a short run
    # of digits can only be a code.
    if device is not None and digits_only(code) and len(code) == device.digits:
        return device.verify_token(code)
    signed = authenticate(request, username=user.get_username(), password=secret)
    return signed is not None and signed.pk == user.pk


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
DEVICE_NAME = "Authenticator app"


def setup_key(session) -> str:
    """The key being paired: it waits in the session until a code proves the pairing."""
    key = session.get(SETUP_KEY) or random_hex(20)
    session[SETUP_KEY] = key
    return key


def pairing_codes(user, key: str) -> dict[str, str]:
    """The key as the set-up page shows it: grouped by four, and as a QR code (base64 SVG)."""
    unsaved = TOTPDevice(user=user, name=DEVICE_NAME, key=key)
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_b64": base64.b64encode(qr_svg(unsaved.config_url).encode()).decode(),
    }


def pair(user, key: str, *, replacing: bool) -> TOTPDevice:
    """Make the paired app the user's only device; a replacement emails the user."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)
        if replacing:
            send_after_commit(user, REPLACED)
    return device


def turn_off(user) -> None:
    """Remove the user's devices and email them that two-factor sign-in is off."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        send_after_commit(user, TURNED_OFF)


def safe_next(request) -> str:
    """Where the code step goes on: the ``next`` of this site, else the start page."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    return next_url
