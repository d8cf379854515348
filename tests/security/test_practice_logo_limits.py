"""The practice logo cannot exhaust the server: refused over its limits before any
decoding, stored small and without the original's metadata (issue 12, finding 4)."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, PngImagePlugin

from core import logos
from tests.pdf_reading import image_count
from tests.programs.test_pdf import client_pdf


def png(size, mode="1", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG", **save)
    return buffer.getvalue()


def upload_logo(as_user, owner, data, name="logo.png"):
    return as_user(owner).post(
        reverse("core:practice"),
        {"name": "Northside Movement", "logo": SimpleUploadedFile(name, data)},
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_image(owner) -> Image.Image:
    practice = owner.membership.practice
    practice.refresh_from_db()
    with practice.logo.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_a_17_kb_png_of_12000_by_12000_pixels_is_refused_at_the_logo_field(as_user, owner, media):
    bomb = png((12000, 12000))
    assert len(bomb) < 100_000  # small on the wire, 144 megapixels once decoded

    response = upload_logo(as_user, owner, bomb)

    assert response.status_code == 200
    [message] = response.context["form"].errors["logo"]
    assert "4.0 megapixels or fewer" in message
    owner.membership.practice.refresh_from_db()
    assert not owner.membership.practice.logo


def test_a_logo_just_over_the_pixel_limit_is_told_its_size(as_user, owner, media):
    response = upload_logo(as_user, owner, png((2100, 2000)))

    assert response.context["form"].errors["logo"] == [
        "The logo is 2100 x 2000 pixels (4.2 megapixels); it must be 4.0 megapixels or fewer "
        "(for example 2000 x 2000)."
    ]


def test_a_logo_over_2_mb_is_told_its_size(as_user, owner, media):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")

    size_mb = len(buffer.getvalue()) / (1024 * 1024)
    assert size_mb > 2

    response = upload_logo(as_user, owner, buffer.getvalue())

    assert response.context["form"].errors["logo"] == [
        f"The logo is {size_mb:.1f} MB; it must be 2.0 MB or smaller."
    ]


def test_a_camera_jpeg_is_stored_at_print_size_without_exif_or_gps(as_user, owner, media):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PocketCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1500), "teal").save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    response = upload_logo(as_user, owner, buffer.getvalue(), name="logo.jpg")

    assert response.status_code == 302
    stored = stored_image(owner)
    assert stored.format == "JPEG"
    assert stored.width <= logos.STORED_BOX_PX[0]
    assert stored.height <= logos.STORED_BOX_PX[1]
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_a_png_logo_keeps_its_transparency_and_loses_its_text_and_icc_chunks(as_user, owner, media):
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Author", "Ana Silva, 12 Harbour Road")
    logo = png((800, 400), mode="RGBA", pnginfo=chunks, icc_profile=b"not really a profile")

    upload_logo(as_user, owner, logo)

    stored = stored_image(owner)
    assert (stored.format, stored.mode) == ("PNG", "RGBA")
    assert stored.size == (logos.STORED_BOX_PX[0], logos.STORED_BOX_PX[0] // 2)
    assert "Author" not in stored.info
    assert "icc_profile" not in stored.info


def test_the_plan_leaves_out_an_oversized_logo_stored_before_uploads_were_checked():
    reader = client_pdf(logo=png((2100, 2000)))

    assert image_count(reader) == 0


def test_the_admin_refuses_the_same_oversized_logo(client, staff, practice, media):
    client.force_login(staff)

    response = client.post(
        reverse("admin:clients_practice_change", args=[practice.pk]),
        {"name": practice.name, "logo": SimpleUploadedFile("logo.png", png((12000, 12000)))},
    )

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["logo"]
    assert "4.0 megapixels or fewer" in message
    practice.refresh_from_db()
    assert not practice.logo
