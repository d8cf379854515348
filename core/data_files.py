"""The one strict reader of Realign's data: the TOML data files and the case JSON (pure).

``DataFileError`` is the one error type: the file, the record in it, the field path and what
is wrong, read as ``rules/posture.toml: rule[0].when.any[0]: unknown finding code 'x'`` or
``activate.toml stand-tall: start.trunk (degrees): must be a number, not true/false``.
``Table`` reads one table (a JSON object) field by field; what is left unread is an unknown
key. One wording for every reader:

- a missing field ``is required``; a key no reader took is an ``unknown key``;
- a wrong type ``must be <what>``, with ``, not true/false`` or ``, not a string`` when a
  flag or a string stands where a number is wanted (``true`` is never 1);
- a value outside its bounds ``expected <low> to <high>, got <value>``;
- one value of a closed set ``must be one of: a, b (got 'x')``; an item of a vocabulary
  declared elsewhere ``unknown <what> 'x'``; the same item twice ``lists 'x' twice``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import tomllib
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")

REQUIRED = "is required"
UNKNOWN_KEY = "unknown key"
NOT_EMPTY = "must not be empty"


class DataFileError(ValueError):
    """A data file (or case) that does not follow its format: where, which field and why.

    ``file`` is the file's name (None for the case JSON or a stored record), ``record`` the
    entry within it when entries have names (an exercise's slug), ``field`` the dotted path.
    """

    def __init__(
        self, file: str | None, field: str, message: str, *, record: str | None = None
    ) -> None:
        self.file, self.record, self.field, self.message = file, record, field, message
        super().__init__(
            f"{self.where}: {field}: {message}" if self.where else f"{field}: {message}"
        )

    @property
    def where(self) -> str:
        """The file and the record in it (``activate.toml stand-tall``); "" when neither."""
        return " ".join(part for part in (self.file, self.record) if part)


def wrong_type(what: str, value: Any, *, numeric: bool = False) -> str:
    """The message for a wrong type; says so when a flag or a text stands for a number."""
    if numeric and isinstance(value, bool):
        return f"must be {what}, not true/false"
    if numeric and isinstance(value, str):
        return f"must be {what}, not a string"
    return f"must be {what}"


def one_of(value: Any, allowed: Iterable[str]) -> str:
    """The message for a value outside a closed set, listing the set."""
    return f"must be one of: {', '.join(allowed)} (got {value!r})"


def out_of_bounds(value: float, low: float, high: float) -> str:
    return f"expected {low:g} to {high:g}, got {value:g}"


def number_error(value: Any, low: float, high: float) -> str | None:
    """Why ``value`` is not a finite number within [low, high], or None when it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return wrong_type("a number", value, numeric=True)
    if not math.isfinite(value):
        return "must be a finite number"
    if not low <= value <= high:
        return out_of_bounds(value, low, high)
    return None


def read_toml(path: Path, name: str) -> dict[str, Any]:
    """One TOML file, parsed; ``name`` is how errors call it (a relative path)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(name, "(file)", "file is missing") from None
    except UnicodeDecodeError:
        raise DataFileError(name, "toml", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(name, "toml", f"not valid TOML: {error}") from None


def read_toml_files(directory: Path) -> dict[str, dict[str, Any]]:
    """Every ``*.toml`` directly in ``directory``, parsed, by file name (in name order)."""
    return {path.name: read_toml(path, path.name) for path in sorted(directory.glob("*.toml"))}


def content_digest(value: Any, **options: Any) -> str:
    """The SHA-256 (hex) of ``value`` as canonical JSON; ``options`` go to ``json.dumps``.

    Taken over what was parsed, not the bytes read: comments and layout do not change it.
    """
    payload = json.dumps(value, sort_keys=True, separators=(",", ":"), **options)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def shipped_by_default(
    shipped: Path,
) -> Callable[[Callable[[Path], T]], Callable[[Path | None], T]]:
    """Make a reader of a data directory a loader: called without a directory it reads
    ``shipped`` once and keeps it; a directory it is given is read afresh every time."""

    def decorate(read: Callable[[Path], T]) -> Callable[[Path | None], T]:
        read_shipped = functools.cache(lambda: read(shipped))

        @functools.wraps(read)
        def load(directory: Path | None = None) -> T:
            return read_shipped() if directory is None else read(Path(directory))

        return load

    return decorate


class Table:
    """One table read field by field; whatever is left unread at ``done()`` is an unknown key.

    ``field`` is the table's own path ("" for a document), ``what`` what it must be.
    """

    def __init__(
        self,
        data: Any,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str = "",
        what: str = "a table",
    ) -> None:
        self.file, self.record, self.field = file, record, field
        if not isinstance(data, dict):
            self.fail("", wrong_type(what, data))
        self.data = dict(data)

    def name(self, key: str) -> str:
        """The path of one of the table's keys (the table's own path for "")."""
        if not key:
            return self.field or "(top)"
        return f"{self.field}.{key}" if self.field else key

    def error(self, key: str, message: str) -> DataFileError:
        return DataFileError(self.file, self.name(key), message, record=self.record)

    def fail(self, key: str, message: str) -> NoReturn:
        raise self.error(key, message)

    def has(self, key: str) -> bool:
        return key in self.data

    def peek(self, key: str, default: Any = None) -> Any:
        """A value without reading it (it still counts as unread)."""
        return self.data.get(key, default)

    def take(self, key: str, kind: type | tuple[type, ...], what: str, *, required: bool) -> Any:
        """The value of ``key`` if it is of ``kind`` (bool is never a number), else an error."""
        if key not in self.data:
            if required:
                self.fail(key, REQUIRED)
            return None
        value = self.data.pop(key)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if type(value) in kinds:  # the usual case, decided at once
            return value
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            self.fail(key, wrong_type(what, value, numeric=int in kinds or float in kinds))
        return value

    def text(self, key: str, *, required: bool = True, max_chars: int | None = None) -> str | None:
        """A non-empty string; with ``max_chars``, also trimmed and at most that long."""
        value = self.take(key, str, "a string", required=required)
        if value is None:
            return None
        if not value.strip():
            self.fail(key, NOT_EMPTY)
        if max_chars is not None and (value != value.strip() or len(value) > max_chars):
            self.fail(key, f"must be trimmed text of at most {max_chars} characters")
        return value

    def choice(self, key: str, allowed: Collection[str], *, default: str | None = None) -> str:
        """One value of a closed set; ``default`` when the key is absent (if given)."""
        value = self.take(key, str, "a string", required=default is None)
        if value is None:
            return default
        if value not in allowed:
            self.fail(key, one_of(value, allowed))
        return value

    def flag(self, key: str, *, default: bool | None = None) -> bool | None:
        value = self.take(key, bool, "true or false", required=False)
        return default if value is None else value

    def integer(self, key: str, low: int, high: int, *, required: bool = True) -> int | None:
        value = self.take(key, int, "a whole number", required=required)
        if value is not None and not low <= value <= high:
            self.fail(key, out_of_bounds(value, low, high))
        return value

    def number(
        self, key: str, low: float, high: float, *, required: bool = False, unit: str = ""
    ) -> float | None:
        """A finite number within [low, high], as a float; ``unit`` is named after the field."""
        if key not in self.data:
            if required:
                self.fail(key, REQUIRED)
            return None
        value = self.data.pop(key)
        # The usual case first, without building a message: the pose files hold thousands.
        if not (type(value) in (int, float) and low <= value <= high):
            self.fail(f"{key} ({unit})" if unit else key, number_error(value, low, high))
        return float(value)

    def strings(
        self, key: str, what: str, *, required: bool = False, count: tuple[int, int] | None = None
    ) -> list[str] | None:
        """A list of strings (None when absent and not required), each distinct."""
        values = self.take(key, list, f"a list of {what}", required=required)
        if values is None:
            return None
        for index, item in enumerate(values):
            if not isinstance(item, str):
                self.fail(f"{key}[{index}]", wrong_type(f"a string ({what})", item))
        if count is not None and not count[0] <= len(values) <= count[1]:
            self.fail(key, f"expected {count[0]} to {count[1]} items, got {len(values)}")
        if len(set(values)) != len(values):
            index = next(i for i, item in enumerate(values) if item in values[:i])
            self.fail(f"{key}[{index}]", f"lists {values[index]!r} twice")
        return values

    def ids(
        self,
        key: str,
        vocabulary: Collection[str],
        what: str,
        *,
        required: bool = False,
        at_least: int = 0,
    ) -> tuple[str, ...]:
        """Distinct ids of a vocabulary declared elsewhere (``()`` when absent)."""
        values = self.strings(key, what, required=required)
        if values is None:
            values = []
        if len(values) < at_least:
            self.fail(key, f"must list at least {at_least} {what}")
        for index, item in enumerate(values):
            if item not in vocabulary:
                self.fail(f"{key}[{index}]", f"unknown {what} {item!r}")
        return tuple(values)

    def table(self, key: str, *, required: bool = True) -> Table | None:
        if key not in self.data:
            if required:
                self.fail(key, REQUIRED)
            return None
        return Table(self.data.pop(key), file=self.file, record=self.record, field=self.name(key))

    def tables(self, key: str, *, required: bool = False) -> list[Table]:
        """An array of tables, each with its index in its path (``rule[0]``)."""
        values = self.take(key, list, "an array of tables", required=required) or []
        return [
            Table(item, file=self.file, record=self.record, field=f"{self.name(key)}[{index}]")
            for index, item in enumerate(values)
        ]

    def only(self, allowed: Collection[str]) -> None:
        """Refuse now any key outside ``allowed`` (for tables whose keys depend on a value)."""
        for key in sorted(set(self.data) - set(allowed)):
            self.fail(key, UNKNOWN_KEY)

    def unread(self) -> list[str]:
        """The keys no reader took, sorted."""
        return sorted(self.data)

    def done(self) -> None:
        """Refuse the first key no reader took."""
        if self.data:
            self.fail(self.unread()[0], UNKNOWN_KEY)
