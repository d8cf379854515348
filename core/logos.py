"""The practice logo: the limits an upload must meet and the small copy that is stored.

Pure Pillow, no Django, so the plan renderer can share the print box and the pixel limit.
An upload is measured from its header (Pillow's ``Image.open`` reads no pixel data) and
refused before anything is decoded; what is stored is a re-encoded copy at the size the
plan prints, without the original's metadata (EXIF, GPS, ICC profile, text chunks).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from PIL import Image, ImageOps

# Practice defaults (no source gives these numbers): a logo is a small graphic, so a few
# megapixels and a few megabytes leave room for any real one while keeping a decoded image
# under ~16 MB of memory.
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4_000_000
FORMATS = ("PNG", "JPEG")
NOT_A_LOGO = "Upload a PNG or JPEG image."

# Where the plan prints the logo: a box of 40 x 22 mm on the cover, at print resolution.
PRINT_BOX_MM = (40, 22)
PRINT_DPI = 300
STORED_BOX_PX = tuple(round(side / 25.4 * PRINT_DPI) for side in PRINT_BOX_MM)


def limit_image_decoding(largest_pixels: int = MAX_LOGO_PIXELS) -> None:
    """Make Pillow refuse (DecompressionBombError) any image over twice the largest limit
    of an image the app reads (the logo; posture photos raise it to theirs).

    Every reader checks its own limit from the header first; this ceiling makes sure no
    path can be made to decode a bomb (Pillow's own default lets 178 megapixels through).
    """
    Image.MAX_IMAGE_PIXELS = max(MAX_LOGO_PIXELS, largest_pixels)


class LogoRefused(ValueError):
    """The upload is not a logo the app accepts; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class StoredLogo:
    """The re-encoded logo: its bytes, file extension and content type."""

    data: bytes
    extension: str
    content_type: str


def megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"


def megapixels(count: int) -> str:
    return f"{count / 1_000_000:.1f} megapixels"


def stored_logo(upload: BinaryIO, size: int) -> StoredLogo:
    """Check an uploaded logo (bytes, type, pixels from its header) and return the copy to store.

    Raises ``LogoRefused`` with a message naming the limit that was exceeded.
    """
    if size > MAX_LOGO_BYTES:
        raise LogoRefused(
            f"The logo is {megabytes(size)}; it must be {megabytes(MAX_LOGO_BYTES)} or smaller."
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Between one and two times the decode limit Pillow only warns; the count below
            # refuses those images with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)  # reads the header only
    except Image.DecompressionBombError as error:
        raise LogoRefused(_too_many_pixels()) from error
    except Exception as error:  # noqa: BLE001 - anything Pillow cannot identify is not a logo
        raise LogoRefused(NOT_A_LOGO) from error
    if image.format not in FORMATS:
        raise LogoRefused(NOT_A_LOGO)
    width, height = image.size
    if width * height > MAX_LOGO_PIXELS:
        raise LogoRefused(_too_many_pixels(width, height))
    try:
        return _reencoded(image)
    except Exception as error:  # noqa: BLE001 - a truncated or corrupt file, seen on decoding
        raise LogoRefused("This image could not be read; it may be damaged.") from error


def _too_many_pixels(width: int | None = None, height: int | None = None) -> str:
    limit = f"it must be {megapixels(MAX_LOGO_PIXELS)} or fewer"
    if width is None:
        return f"The logo has far too many pixels; {limit} (for example 2000 x 2000)."
    return (
        f"The logo is {width} x {height} pixels ({megapixels(width * height)}); {limit} "
        "(for example 2000 x 2000)."
    )


def _reencoded(image: Image.Image) -> StoredLogo:
    """The image turned upright, shrunk to the print box and saved afresh without metadata."""
    source_format = image.format
    upright = ImageOps.exif_transpose(image)  # a phone photo's orientation lives in EXIF
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    pixels = upright.convert("RGBA" if has_alpha and source_format == "PNG" else "RGB")
    pixels.thumbnail(STORED_BOX_PX, Image.Resampling.LANCZOS)
    # A new image carries pixels only: no EXIF, GPS, ICC profile or text chunk follows.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = BytesIO()
    if source_format == "PNG":
        clean.save(out, format="PNG", optimize=True)
        return StoredLogo(out.getvalue(), "png", "image/png")
    clean.save(out, format="JPEG", quality=90)
    return StoredLogo(out.getvalue(), "jpg", "image/jpeg")
