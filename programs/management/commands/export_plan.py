"""Write plan PDFs to files: one program's latest published version, or every published plan.

The files are exactly what the client downloads (the PDF frozen at publication).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.models import ProgramVersion
from programs.sharing import download_name, plan_pdf


class Command(BaseCommand):
    help = "Export plan PDFs: PROGRAM_ID --out FILE.pdf, or --all --out DIR."

    def add_arguments(self, parser):
        parser.add_argument("program_id", nargs="?", type=int, help="the program's id")
        parser.add_argument("--all", action="store_true", help="every published plan")
        parser.add_argument("--out", required=True, help="a file (one program) or a directory")

    def handle(self, *args, program_id=None, all=False, out, **options):
        published = ProgramVersion.objects.filter(
            status=ProgramVersion.Status.PUBLISHED
        ).select_related("program__client", "frozen")  # the frozen PDF rides along
        if all == (program_id is not None):
            raise CommandError("Give either a PROGRAM_ID or --all.", returncode=2)
        if program_id is not None and not 0 < program_id < 2**63:
            raise CommandError("program_id: not a program id.", returncode=2)
        if program_id is not None:
            version = published.filter(program_id=program_id).order_by("-number").first()
            if version is None:
                raise CommandError(
                    f"program_id: no published version of program {program_id}.", returncode=2
                )
            self._write(version, Path(out))
            return
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        count = 0
        for version in published.order_by("program_id", "number").iterator(chunk_size=50):
            name = f"program-{version.program_id}-{download_name(version)}"
            self._write(version, directory / name)
            count += 1
        self.stdout.write(f"{count} plan(s) written to {directory}")

    def _write(self, version, path: Path) -> None:
        try:
            path.write_bytes(plan_pdf(version))
        except OSError as error:
            raise CommandError(
                f"--out: cannot write {path}: {error.strerror}", returncode=2
            ) from None
        self.stdout.write(f"{path}")
