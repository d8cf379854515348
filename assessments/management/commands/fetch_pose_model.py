"""Prepare the pose model for landmark suggestions: part of the install step, never run time.

Downloads MediaPipe 0.10.21's wheel from the package index pip is configured with (its hash
pinned in requirements/pose-model.txt), takes the landmark model and the licence out of it
into ``settings.POSE_MODEL_DIR`` and checks the model's own hash. Nothing is installed or
imported from the wheel. Run again, it does nothing when the model is already in place.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments import pose_model

REQUIREMENTS = Path(settings.BASE_DIR) / "requirements" / "pose-model.txt"
# The wheel for any platform holds the same model file; this one is named so that pip can
# fetch it whatever machine runs the install (only the two files below are read from it).
WHEEL_TARGET = ("--python-version", "3.12", "--platform", "manylinux_2_28_x86_64")
MEMBERS = {
    "mediapipe/modules/pose_landmark/pose_landmark_full.tflite": pose_model.MODEL_FILE,
    "mediapipe-0.10.21.dist-info/LICENSE": pose_model.LICENCE_FILE,
}
NOTICE = """\
pose_landmark_full.tflite is BlazePose GHUM 3D, "full" landmark model, by Google LLC, taken
unchanged from the MediaPipe 0.10.21 wheel on PyPI (mediapipe-0.10.21-cp312-cp312-
manylinux_2_28_x86_64.whl, sha256 in requirements/pose-model.txt) by
`python manage.py fetch_pose_model`. Licensed under the Apache License 2.0: see LICENSE,
the wheel's own licence file, kept beside the model as that licence requires.
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Command(BaseCommand):
    help = "Fetch the pose model for landmark suggestions into POSE_MODEL_DIR (install step)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="fetch it again")

    def handle(self, *args, force=False, **options):
        target = Path(settings.POSE_MODEL_DIR)
        model = target / pose_model.MODEL_FILE
        if not force and model.exists() and sha256(model) == pose_model.MODEL_SHA256:
            self.stdout.write(f"The pose model is in place: {model}")
            return
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            wheel = self._download(Path(folder))
            with zipfile.ZipFile(wheel) as archive:
                for member, name in MEMBERS.items():
                    (target / name).write_bytes(archive.read(member))
        (target / pose_model.NOTICE_FILE).write_text(NOTICE)
        if sha256(model) != pose_model.MODEL_SHA256:
            model.unlink()
            raise CommandError(f"{pose_model.MODEL_FILE} in the wheel is not the expected file.")
        self.stdout.write(f"The pose model is ready: {model}")

    def _download(self, folder: Path) -> Path:
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary=:all:", *WHEEL_TARGET, "--require-hashes",
            "-r", str(REQUIREMENTS), "--dest", str(folder),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = list(folder.glob("mediapipe-*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise CommandError(
                "Could not download the pose model's wheel (landmark suggestions stay off; "
                f"everything else works): {result.stderr.strip()[-500:]}"
            )
        return wheels[0]
