"""A posture photo as it is stored: checked, turned upright, bounded and stripped of metadata.

Pure Pillow, no Django (issue 17, item 1). The type is decided from the file's first bytes,
never its name; bytes and pixels (from the header) are checked before anything is decoded.
What is stored is a JPEG re-encoded from pixel data only: no EXIF (GPS, device, time), XMP,
comment or ICC block survives; a colour profile is first converted to sRGB, then left out.
"""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps

from core.logos import megabytes, megapixels

# Practice defaults (security-targets R-FI1 and ASVS 5.2.1 row: 10 MB cap, 40 MP): a
# tablet's or phone's usual photo is 12 to 24 megapixels and 2 to 8 MB.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
# Practice defaults: 2400 px on the long side keeps landmarks placeable at 1 px on a tablet
# zoomed in (a 12 MP photo shrinks 1.7 times); the thumbnail fits a page's photo column.
STORED_LONG_SIDE = 2400
STORED_QUALITY = 88
THUMBNAIL_LONG_SIDE = 480
THUMBNAIL_QUALITY = 80

# JPEG and PNG always (Pillow's JPEG reader also opens, as "MPO", a camera JPEG carrying a
# second picture, and reads its first); HEIC only when a decoder is installed.
FORMATS = ("JPEG", "PNG")
# The ftyp brands of an HEIF file holding HEVC pictures (ISO/IEC 23008-12); "mif1"/"msf1"
# are the generic HEIF brands an iPhone also lists. AVIF ("avif"/"avis") is not HEIC.
HEIC_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
AV1_BRANDS = frozenset({b"avif", b"avis"})
# Pillow plugins that read HEIC, in order of preference; neither is a project requirement.
# pi_heif is decoder-only (BSD plus LGPL libheif and libde265); pillow_heif's wheels also
# bundle the GPL x265 encoder, so check its licence before installing it.
HEIC_DECODERS = ("pi_heif", "pillow_heif")

NOT_A_PHOTO = "This is not a JPEG or PNG photo: please upload a JPEG."
HEIC_UNREADABLE = (
    "iPhone HEIC photos can't be read here: on the iPhone choose Settings > Camera > "
    "Formats > Most Compatible, or export the photo as JPEG."
)
DAMAGED = (
    "This photo could not be read: the file may be damaged or incomplete. "
    "Please upload it again or export it as JPEG."
)
SMALLER_COPY = "take it at the camera's usual size or export a smaller JPEG."

WHITE = (255, 255, 255)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoRefused(ValueError):
    """The upload is not a photo the app accepts; ``str()`` is the message for the specialist."""


@dataclass(frozen=True)
class StoredPhoto:
    """The re-encoded photo and its thumbnail for pages, both JPEG without metadata."""

    data: bytes
    width: int
    height: int
    thumbnail: bytes
    content_type: str = "image/jpeg"
    extension: str = "jpg"


def heic_decoder_available() -> bool:
    """Whether a HEIC decoder (pi-heif or pillow-heif) is installed."""
    return _heic_decoder() is not None


def stored_photo(upload: BinaryIO, size: int) -> StoredPhoto:
    """Check an uploaded posture photo and return the copy to store.

    Raises ``PhotoRefused`` (and nothing else) with a message naming what is wrong.
    """
    if size > MAX_PHOTO_BYTES:
        raise PhotoRefused(
            f"This file is {megabytes(size)}, larger than the {megabytes(MAX_PHOTO_BYTES)} "
            f"a photo may be: {SMALLER_COPY}"
        )
    image = _opened(upload)
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:
        raise PhotoRefused(_too_many_pixels(width, height))
    try:
        return _reencoded(image)
    except Exception as error:  # noqa: BLE001 - a truncated or corrupt file, seen on decoding
        raise PhotoRefused(DAMAGED) from error


def is_heic(head: bytes) -> bool:
    """Whether a file's first bytes are an HEIF ftyp box naming an HEIC brand."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return False
    box_end = min(int.from_bytes(head[:4], "big"), len(head))
    # major brand, minor version, then the compatible brands up to the end of the box
    brands = {head[8:12]} | {head[at : at + 4] for at in range(16, box_end - 3, 4)}
    return head[8:12] not in AV1_BRANDS and bool(brands & HEIC_BRANDS)


def _opened(upload: BinaryIO) -> Image.Image:
    """The upload identified from its content; only its header has been read."""
    upload.seek(0)
    head = upload.read(256)
    upload.seek(0)
    formats = FORMATS
    if is_heic(head):
        if not _register_heic_decoder():
            raise PhotoRefused(HEIC_UNREADABLE)
        formats = ("HEIF",)
    try:
        with warnings.catch_warnings():
            # Between one and two times Pillow's decode limit it only warns; the count in
            # stored_photo refuses those images with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(upload, formats=formats)  # reads the header only
    except Image.DecompressionBombError as error:
        raise PhotoRefused(_too_many_pixels()) from error
    except Exception as error:  # noqa: BLE001 - anything Pillow cannot identify is refused
        raise PhotoRefused(NOT_A_PHOTO) from error


def _heic_decoder() -> str | None:
    return next((name for name in HEIC_DECODERS if importlib.util.find_spec(name)), None)


def _register_heic_decoder() -> bool:
    """Register the installed HEIC plugin with Pillow (again is harmless); False if none."""
    decoder = _heic_decoder()
    if decoder is None:
        return False
    importlib.import_module(decoder).register_heif_opener()
    return True


def _too_many_pixels(width: int | None = None, height: int | None = None) -> str:
    limit = f"the {megapixels(MAX_PHOTO_PIXELS)} a photo may have: {SMALLER_COPY}"
    if width is None or height is None:
        return f"This photo has far more than {limit}"
    return (
        f"This photo is {width} x {height} pixels ({megapixels(width * height)}), more than {limit}"
    )


def _reencoded(image: Image.Image) -> StoredPhoto:
    """The photo upright, bounded, in sRGB and saved afresh from its pixels alone."""
    # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still covers the stored size.
    image.draft("RGB", _fitted(image.size, STORED_LONG_SIDE))
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)  # a camera's orientation lives in EXIF
    pixels = _flattened(upright)
    pixels.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE), Image.Resampling.LANCZOS)
    pixels = _in_srgb(pixels, icc_profile)
    # A new image carries pixels only: no EXIF, GPS, XMP, comment or ICC block follows.
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    small = clean.copy()
    small.thumbnail((THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE), Image.Resampling.LANCZOS)
    return StoredPhoto(
        data=_jpeg(clean, STORED_QUALITY),
        width=clean.width,
        height=clean.height,
        thumbnail=_jpeg(small, THUMBNAIL_QUALITY),
    )


def _fitted(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, long_side / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _flattened(image: Image.Image) -> Image.Image:
    """The image without transparency (laid on white), in a mode a colour profile applies to."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("RGB", "L", "CMYK"):
        return image
    return image.convert("RGB")


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB in sRGB: the embedded profile applied when it can be read, else ignored."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
            return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unreadable or mismatched profile: keep the pixels as they are
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
