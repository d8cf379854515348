"""A posture photo is refused clearly or stored upright, bounded, in RGB and without any
metadata (issue 17, item 1). No database: the intake is pure Pillow."""

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms, features

from assessments import photo_intake
from assessments.photo_intake import PhotoRefused, StoredPhoto, stored_photo

RED = (255, 0, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)
JPEG_START = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REFUSALS = {photo_intake.NOT_A_PHOTO, photo_intake.DAMAGED, photo_intake.HEIC_UNREADABLE}


def test_the_app_lets_pillow_decode_photos_up_to_the_photo_limit_and_no_further():
    # Set once at start-up (core and assessments AppConfig.ready): Pillow refuses an
    # image over twice this ceiling before decoding it.
    assert Image.MAX_IMAGE_PIXELS == photo_intake.MAX_PHOTO_PIXELS


def encoded(image: Image.Image, image_format: str = "JPEG", **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **save)
    return buffer.getvalue()


def intake(data: bytes, name: str = "photo.jpg"):
    upload = io.BytesIO(data)
    upload.name = name  # as a Django upload has; the intake must not look at it
    return stored_photo(upload, len(data))


def refusal(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(PhotoRefused) as refused:
        intake(data, name)
    return str(refused.value)


def outcome(data: bytes) -> StoredPhoto | PhotoRefused:
    try:
        return intake(data)
    except PhotoRefused as refused:
        return refused


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PocketCam"
    exif[ExifTags.Base.Model] = "PC-12 Pro"
    exif[ExifTags.Base.DateTime] = "2025:03:14 09:26:53"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size, followed by one short row of pixel data only."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(bytes(1 + 3 * 16))
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def heic_start(major: bytes = b"heic", compatible: bytes = b"mif1heic") -> bytes:
    """The ftyp box an iPhone HEIC file opens with, then a few bytes of what follows."""
    box = b"ftyp" + major + b"\x00\x00\x00\x00" + compatible
    return struct.pack(">I", 4 + len(box)) + box + b"\x00\x00\x00\x24meta" + bytes(40)


def test_exif_gps_xmp_and_comment_are_gone_from_the_stored_photo_and_thumbnail():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><CreatorTool>PocketCam</CreatorTool></x:xmpmeta>'
    original = encoded(
        Image.new("RGB", (1200, 900), "teal"),
        exif=camera_exif(),
        xmp=xmp,
        comment=b"Ana Silva, 12 Harbour Road",
    )
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = intake(original)

    for data in (photo.data, photo.thumbnail):
        assert not opened(data).getexif()
        assert set(opened(data).info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density"}
        for marker in (b"Exif", b"http://ns.adobe.com/xap", b"PocketCam", b"Harbour Road"):
            assert marker not in data


def test_a_photo_tagged_to_be_turned_a_quarter_clockwise_is_stored_upright():
    sensor = Image.new("RGB", (400, 200), BLUE)
    sensor.paste(RED, (0, 0, 100, 100))  # top left as the sensor saw it
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90 degrees clockwise to display"

    photo = intake(encoded(sensor, exif=exif, quality=95))

    upright = opened(photo.data)
    assert (photo.width, photo.height) == upright.size == (200, 400)
    assert upright.getpixel((190, 10)) == pytest.approx(RED, abs=8)  # now top right
    assert upright.getpixel((10, 10)) == pytest.approx(BLUE, abs=8)


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the intake read a file it should have refused by its size")

    too_big = photo_intake.MAX_PHOTO_BYTES + 1

    with pytest.raises(PhotoRefused) as refused:
        stored_photo(Unreadable(), too_big)

    assert str(refused.value) == (
        "This file is 10.0 MB, larger than the 10.0 MB a photo may be: "
        "take it at the camera's usual size or export a smaller JPEG."
    )


def test_a_header_claiming_just_too_many_pixels_is_refused_with_its_size_and_not_decoded():
    # Almost no pixel data follows the header: decoding would refuse it as damaged instead.
    message = refusal(png_header(8000, 6000), name="photo.png")

    assert message == (
        "This photo is 8000 x 6000 pixels (48.0 megapixels), more than the 40.0 megapixels "
        "a photo may have: take it at the camera's usual size or export a smaller JPEG."
    )


def test_the_same_short_png_within_the_pixel_limit_is_refused_as_damaged():
    # The witness for the two tests around it: this file does get decoded, and fails.
    assert refusal(png_header(3000, 2000), name="photo.png") == photo_intake.DAMAGED


def test_a_header_claiming_billions_of_pixels_is_refused_without_decoding():
    message = refusal(png_header(50_000, 50_000), name="photo.png")

    assert message.startswith("This photo has far more than the 40.0 megapixels")


def test_a_text_file_named_like_a_jpeg_is_refused_as_not_a_photo():
    assert refusal(b"Posture notes: head forward, left shoulder low.\n") == (
        photo_intake.NOT_A_PHOTO
    )


def test_an_empty_file_is_refused_as_not_a_photo():
    assert refusal(b"") == photo_intake.NOT_A_PHOTO


@pytest.mark.parametrize("image_format", ["GIF", "WEBP", "BMP", "TIFF"])
def test_other_image_formats_are_refused_asking_for_a_jpeg(image_format):
    if image_format == "WEBP" and not features.check("webp"):
        pytest.skip("this Pillow cannot write WebP")
    other = encoded(Image.new("RGB", (64, 48), "teal"), image_format)

    assert refusal(other) == "This is not a JPEG or PNG photo: please upload a JPEG."


def test_a_png_photo_is_stored_as_a_jpeg():
    photo = intake(encoded(Image.new("RGB", (640, 480), "teal"), "PNG"), name="photo.png")

    assert (photo.content_type, photo.extension) == ("image/jpeg", "jpg")
    assert opened(photo.data).format == "JPEG"
    assert opened(photo.data).size == (photo.width, photo.height) == (640, 480)


def test_the_long_side_is_bounded_keeping_the_aspect_ratio():
    photo = intake(encoded(Image.new("RGB", (4000, 1500), "teal")))

    assert (photo.width, photo.height) == (photo_intake.STORED_LONG_SIDE, 900)
    assert opened(photo.data).size == (2400, 900)


def test_a_small_photo_is_not_enlarged():
    photo = intake(encoded(Image.new("RGB", (800, 600), "teal")))

    assert (photo.width, photo.height) == (800, 600)


def test_the_thumbnail_is_bounded_for_pages():
    photo = intake(encoded(Image.new("RGB", (3000, 4000), "teal")))

    thumbnail = opened(photo.thumbnail)
    assert thumbnail.format == "JPEG"
    assert thumbnail.size == (360, photo_intake.THUMBNAIL_LONG_SIDE)


def test_a_png_with_transparency_is_stored_in_rgb_on_white():
    cutout = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    cutout.paste((255, 0, 0, 255), (0, 0, 100, 100))

    stored = opened(intake(encoded(cutout, "PNG"), name="photo.png").data)

    assert stored.mode == "RGB"
    assert stored.getpixel((250, 150)) == pytest.approx(WHITE, abs=4)
    assert stored.getpixel((50, 50)) == pytest.approx(RED, abs=8)


def test_a_cmyk_jpeg_is_stored_in_rgb():
    stored = opened(intake(encoded(Image.new("CMYK", (320, 240), (0, 0, 0, 0)))).data)

    assert stored.mode == "RGB"
    assert stored.getpixel((10, 10)) == pytest.approx(WHITE, abs=4)


def test_a_colour_profile_is_applied_then_left_out():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = encoded(Image.new("RGB", (320, 240), "teal"), icc_profile=profile)

    photo = intake(original)

    assert "icc_profile" not in opened(photo.data).info
    assert b"ICC_PROFILE" not in photo.data


def test_an_unreadable_colour_profile_is_left_out_and_the_photo_kept():
    original = encoded(Image.new("RGB", (320, 240), "teal"), icc_profile=b"not a profile")

    photo = intake(original)

    assert "icc_profile" not in opened(photo.data).info
    assert opened(photo.data).getpixel((5, 5)) == pytest.approx((0, 128, 128), abs=6)


def test_a_phone_jpeg_carrying_a_second_picture_is_stored_as_its_first():
    first, second = Image.new("RGB", (640, 480), RED), Image.new("RGB", (320, 240), BLUE)
    mpo = encoded(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"

    stored = opened(intake(mpo).data)

    assert stored.size == (640, 480)
    assert stored.getpixel((5, 5)) == pytest.approx(RED, abs=8)


def test_a_truncated_jpeg_is_refused_as_damaged():
    whole = encoded(Image.effect_noise((800, 600), 64).convert("RGB"))

    assert refusal(whole[: len(whole) // 2]) == photo_intake.DAMAGED


@pytest.mark.skipif(
    photo_intake.heic_decoder_available(), reason="a HEIC decoder is installed here"
)
def test_an_iphone_heic_photo_is_refused_asking_for_a_jpeg_without_a_decoder():
    assert refusal(heic_start(), name="IMG_0042.HEIC") == (
        "iPhone HEIC photos can't be read here: on the iPhone choose Settings > Camera > "
        "Formats > Most Compatible, or export the photo as JPEG."
    )


@pytest.mark.parametrize(
    ("major", "compatible"),
    [(b"heic", b"mif1heic"), (b"mif1", b"heic"), (b"heix", b""), (b"hevc", b"msf1")],
)
def test_heic_is_recognised_from_its_ftyp_brands_not_its_name(major, compatible):
    assert photo_intake.is_heic(heic_start(major, compatible))


@pytest.mark.parametrize(
    "start",
    [heic_start(b"avif", b"mif1avif"), heic_start(b"isom", b"mp42"), JPEG_START + bytes(20)],
)
def test_avif_video_and_jpeg_starts_are_not_heic(start):
    assert not photo_intake.is_heic(start)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from([b"", JPEG_START, PNG_SIGNATURE, heic_start()[:24]]),
    rest=st.binary(max_size=2048),
)
def test_arbitrary_bytes_are_stored_or_refused_never_anything_else(prefix, rest):
    # Any other exception propagates out of `outcome` and fails the test.
    result = outcome(prefix + rest)

    assert (
        isinstance(result, StoredPhoto)
        or str(result) in REFUSALS
        or str(result).startswith(("This photo is ", "This photo has far more than"))
    )
