"""One photo's landmarks JSON in, its angles JSON out (shared/design/photo-landmarks.md).

Output: ``json.dumps(result, ensure_ascii=False, indent=2)`` in the contract's key order
(no key sorting), then one newline; the same input gives byte-identical output.
Invalid input (a missing or unreadable file, text that is not UTF-8, JSON that does not
parse, an invalid field): one line on stderr naming the field, exit status 2, nothing on
stdout. Unknown top-level keys are ignored silently (the format may grow optional fields).
Reads no database.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.photo_angles import LandmarksError, photo_angles


class Command(BaseCommand):
    help = "Measure one posture photo's angles from its landmarks (JSON in, JSON out)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--input", required=True, help="path of the landmarks JSON file, or - for stdin"
        )

    def handle(self, *args, input, **options):
        document = _parse_json(_read(input))
        try:
            result = photo_angles(document)
        except LandmarksError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))


def _read(source: str) -> str:
    try:
        if source == "-":
            # Bytes where the stream has them, so non-UTF-8 input is refused whatever the locale.
            if sys.stdin is None:
                raise CommandError("input: no standard input to read", returncode=2)
            data = getattr(sys.stdin, "buffer", sys.stdin).read()
        else:
            with open(source, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise CommandError(
            f"input: cannot read {source!r}: {error.strerror}", returncode=2
        ) from None
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError("input: not UTF-8 text", returncode=2) from None


def _parse_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"input: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            returncode=2,
        ) from None
    except (ValueError, RecursionError) as error:
        # Valid syntax the parser still refuses: an integer of thousands of digits, or
        # nesting deeper than Python's recursion limit.
        raise CommandError(
            f"input: JSON that cannot be read ({error.__class__.__name__})", returncode=2
        ) from None
