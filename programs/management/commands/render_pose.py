"""Preview exercise poses: one exercise as SVG, a whole pose file as an HTML sheet.

Reads the pose and library files directly (no database), so an author sees an edit at
once. ``--fit`` suggests angles that close the pose's contacts, to copy into the file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.data_files import DataFileError
from programs.illustrations import build_scene, load_poses, render_svg
from programs.illustrations.fitting import fit
from programs.illustrations.poses import POSES_DIR
from programs.illustrations.scene import problems
from programs.library import load_library


class Command(BaseCommand):
    help = (
        "Render SLUG --out FILE.svg; or --sheet FILE_NAME --out FILE.html (every pose of "
        "programs/data/poses/FILE_NAME.toml); --fit start.near_knee ... suggests angles."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="an exercise slug")
        parser.add_argument("--out", help="where to write the SVG or HTML sheet")
        parser.add_argument("--sheet", help="a pose file's name without .toml, or 'all'")
        parser.add_argument(
            "--fit", nargs="+", metavar="POSITION.ANGLE", help="angles the fit may change"
        )

    def handle(self, *args, slug=None, out=None, sheet=None, fit=None, **options):
        try:
            poses = load_poses(POSES_DIR)
        except DataFileError as error:
            raise CommandError(str(error), returncode=2) from error
        names = {e.slug: e.name for e in load_library()}
        if sheet:
            slugs = [s for s, f in poses.files.items() if sheet in ("all", Path(f).stem)]
            if not slugs:
                raise CommandError(f"sheet: no poses in {sheet}.toml", returncode=2)
            self._sheet(poses, slugs, names, Path(out or f"{sheet}-poses.html"))
            return
        if slug is None or slug not in poses:
            raise CommandError(f"slug: no pose for {slug!r}", returncode=2)
        pose = poses.get(slug)
        if fit:
            self._fit(pose, fit)
            return
        for problem in problems(pose):
            self.stdout.write(f"{slug}: {problem}")
        svg = render_svg(build_scene(pose, title=names.get(slug, slug)))
        if out:
            Path(out).write_text(svg, encoding="utf-8")
            self.stdout.write(f"wrote {out}")
        else:
            self.stdout.write(svg)

    def _fit(self, pose, variables):
        for variable in variables:
            position, _, angle = variable.partition(".")
            if not angle or not (position in pose.positions or _prop_index(pose, position)):
                raise CommandError(
                    f"fit: {variable!r} is neither POSITION.ANGLE nor propsN.x", returncode=2
                )
        fitted, left = fit(pose, variables)
        for variable in variables:
            position, angle = variable.split(".")
            if index := _prop_index(fitted, position):
                value = getattr(fitted.props[index - 1], angle) or 0.0
            else:
                key = fitted.positions[position]
                value = key.x if angle == "x" else key.angles.get(angle, 0.0)
            self.stdout.write(f"{variable} = {round(value, 2)}")
        self.stdout.write(f"remaining: {problems(fitted) or 'none'} (cost {left:.2e})")

    def _sheet(self, poses, slugs, names, out: Path):
        cells = []
        for slug in slugs:
            pose = poses.get(slug)
            found = problems(pose)
            note = "".join(f"<li>{p}</li>" for p in found)
            cells.append(
                f"<figure>{render_svg(build_scene(pose, title=names.get(slug, slug)))}"
                f"<figcaption><b>{names.get(slug, slug)}</b> <code>{slug}</code>"
                f"<ul>{note}</ul></figcaption></figure>"
            )
            for p in found:
                self.stdout.write(f"{slug}: {p}")
        out.write_text(
            "<!doctype html><meta charset=utf-8><title>Poses</title>"
            "<style>body{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:8px;"
            "font:12px sans-serif}figure{margin:0;border:1px solid #ccc}svg{width:100%}"
            "ul{color:#b00;margin:0}</style>" + "".join(cells),
            encoding="utf-8",
        )
        self.stdout.write(f"wrote {out} ({len(slugs)} poses)")


def _prop_index(pose, name: str) -> int | None:
    """The 1-based prop number of "props2", or None when the name is no prop of the pose."""
    number = name.removeprefix("props")
    if (
        name.startswith("props")
        and number.isascii()
        and number.isdigit()
        and 1 <= int(number) <= len(pose.props)
    ):
        return int(number)
    return None
