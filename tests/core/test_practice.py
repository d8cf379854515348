"""The practice page (core:practice): its name and logo, for the owner only."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.forms import LOGO_FORMAT


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_owner_uploads_the_practice_logo(as_user, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = as_user(owner).post(
        reverse("core:practice"),
        {"name": "Northside Movement", "logo": SimpleUploadedFile("logo.png", png_bytes())},
    )
    assert response.status_code == 302
    owner.membership.practice.refresh_from_db()
    assert owner.membership.practice.logo.name.startswith("practice-logos/")


def test_a_file_that_is_not_an_image_is_refused_at_the_logo_field(as_user, owner):
    response = as_user(owner).post(
        reverse("core:practice"),
        {"name": "Northside", "logo": SimpleUploadedFile("logo.png", b"<svg onload=x>")},
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors


def test_a_gif_logo_is_refused(as_user, owner):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    response = as_user(owner).post(
        reverse("core:practice"),
        {"name": "Northside", "logo": SimpleUploadedFile("logo.gif", buffer.getvalue())},
    )
    assert response.context["form"].errors["logo"] == [LOGO_FORMAT]


def test_a_specialist_cannot_edit_the_practice(as_user, specialist_user):
    assert as_user(specialist_user).get(reverse("core:practice")).status_code == 403
