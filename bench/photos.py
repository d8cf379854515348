"""Posture photos in the benchmark: the showcase assessment carries four (one per view), its
page must send thumbnails sized for the screen, and a 12-megapixel camera JPEG must be
checked, turned upright, re-encoded and stored in under a second."""

from __future__ import annotations

import io
import re
import statistics
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

UPLOAD_LIMIT_MS = 1000
CAMERA_SIZE = (4000, 3000)  # 12 megapixels, a tablet's or phone's usual photo


def camera_jpeg(size: tuple[int, int] = CAMERA_SIZE, *, seed: int = 7) -> bytes:
    """A camera-like JPEG (a figure against a wall, soft light, sensor grain), at a
    camera's quality: smooth areas and fine noise, so its bytes are a real photo's."""
    width, height = size
    image = Image.new("RGB", (width // 10, height // 10), (214, 208, 198))
    draw = ImageDraw.Draw(image)
    w, h = image.size
    draw.rectangle((0, int(h * 0.82), w, h), fill=(150, 132, 110))  # the floor
    draw.ellipse((w * 0.46, h * 0.10, w * 0.54, h * 0.22), fill=(196, 150, 120))  # head
    draw.rectangle((w * 0.44, h * 0.22, w * 0.56, h * 0.55), fill=(60, 90, 130))  # torso
    draw.rectangle((w * 0.45, h * 0.55, w * 0.55, h * 0.82), fill=(40, 40, 50))  # legs
    image = image.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BICUBIC)
    # Sensor grain: a phone's 12 MP JPEG is 3 to 6 MB because of it (this one about 4 MB).
    grain = Image.effect_noise(size, 40 + seed % 3).convert("RGB")
    image = Image.blend(image, grain, 0.25)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def ensure_photos(assessment, *, by, size: tuple[int, int] = CAMERA_SIZE) -> int:
    """Give the assessment a photo of every view it lacks, ``size`` pixels (the landmark
    tool's input); returns how many it has."""
    from assessments import photos
    from assessments.models import PosturePhoto

    have = set(assessment.photos.values_list("view", flat=True))
    data = None
    for view in PosturePhoto.View.values:
        if view in have:
            continue
        data = data or camera_jpeg(size, seed=len(have))
        upload = SimpleUploadedFile(f"{view}.jpg", data, content_type="image/jpeg")
        photos.add_photo(assessment, view=view, upload=upload, by=by)
    return assessment.photos.count()


def upload(assessment, *, by, runs: int = 5) -> dict:
    """A 12-megapixel JPEG through the page's service (checks, upright, re-encode, store),
    replacing the same view each time: median and worst wall time."""
    from assessments import photos

    data = camera_jpeg()
    samples = []
    for _ in range(runs + 1):
        file = SimpleUploadedFile("camera.jpg", data, content_type="image/jpeg")
        started = time.perf_counter()
        photos.add_photo(assessment, view="front", upload=file, by=by)
        samples.append(time.perf_counter() - started)
    samples = samples[1:]  # the first also opens Pillow's codecs
    return {
        "megapixels": round(CAMERA_SIZE[0] * CAMERA_SIZE[1] / 1e6, 1),
        "bytes": len(data),
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "worst_ms": round(max(samples) * 1000, 1),
        "runs": runs,
    }


IMG_SRC = re.compile(rb'<img[^>]*\ssrc="([^"]+)"')


def page_images(client, url: str) -> dict:
    """The photos an assessment page makes the browser fetch: each must be a thumbnail
    (its URL and its size), never the original."""
    from assessments.photo_intake import THUMBNAIL_LONG_SIDE

    body = client.get(url, secure=True).content
    sources = [src.decode() for src in IMG_SRC.findall(body) if b"/assessments/photos/" in src]
    sizes = []
    for src in sources:
        response = client.get(src, secure=True)
        data = b"".join(response.streaming_content) if response.streaming else response.content
        sizes.append((len(data), Image.open(io.BytesIO(data)).size))
    originals = [src for src in sources if not src.endswith("/thumbnail.jpg")]
    return {
        "photos": len(sources),
        "originals": len(originals),
        "largest_side": max((max(size) for _, size in sizes), default=0),
        "thumbnail_long_side": THUMBNAIL_LONG_SIDE,
        "bytes": sum(n for n, _ in sizes),
    }
