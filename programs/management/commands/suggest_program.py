"""Case JSON in, program draft JSON out (shared/design/case-format.md).

Invalid input: a one-line message naming the field on stderr, exit status 2, nothing
written; an assessment date after today is invalid. An unknown key inside a known object
is ignored with a one-line warning on stderr (the contract may grow optional fields).
Uses the current ruleset and library of the database (loaded on first use), the same ones
the web pages use.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.data_files import DataFileError
from programs.case import parse_case
from programs.engine import draft_to_dict, suggest
from programs.services import current_library, current_ruleset


class Command(BaseCommand):
    help = "Suggest a corrective program for one case (JSON in, JSON out)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--input", required=True, help="path of the case JSON file, or - for standard input"
        )

    def handle(self, *args, input, **options):
        data = self._read(input)
        try:
            case = parse_case(data, today=timezone.localdate())
        except DataFileError as error:
            raise CommandError(str(error), returncode=2) from None
        for warning in case.warnings:
            self.stderr.write(f"warning: {warning}")
        _, ruleset = current_ruleset()
        draft = suggest(case, ruleset=ruleset, library=current_library())
        self.stdout.write(json.dumps(draft_to_dict(draft), indent=2, ensure_ascii=False))

    def _read(self, source: str):
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(
                f"input: cannot read {source}: {error.strerror}", returncode=2
            ) from None
        except UnicodeDecodeError:
            raise CommandError("input: not UTF-8 text", returncode=2) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"input: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
                returncode=2,
            ) from None
        except (ValueError, RecursionError) as error:
            # Valid JSON syntax the parser still refuses: a number of thousands of digits,
            # or nesting deeper than Python's recursion limit.
            raise CommandError(
                f"input: JSON that cannot be read ({error.__class__.__name__})", returncode=2
            ) from None
