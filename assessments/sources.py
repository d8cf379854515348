"""The bibliography (``data/sources.toml``): each source id with its full citation (pure).

Rule tables, norms and findings cite sources by id; this is the one place their citations
are written. Where reference.md names a primary work behind a secondary key (a flashcard
or blog copy of a textbook figure), the primary work is shown first and the key as "via".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.data_files import DataFileError, Table

SOURCES_FILE = Path(__file__).resolve().parent / "data" / "sources.toml"
MIN_CITATION_CHARS = 10
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .'&-]*")
# Findings and norm rows write several ids in one string: "Sperstad-2016, PolRadiol".
_SEPARATOR = re.compile(r"\s*,\s*")


@dataclass(frozen=True)
class Source:
    """One citable source."""

    id: str
    citation: str
    primary: str | None = None  # the primary work behind a secondary key, cited first
    retrieved: bool = True  # False: known only second-hand (status U in reference.md)

    @property
    def lines(self) -> tuple[str, ...]:
        """How the source is cited: the primary work first, then the key's own text as "via"."""
        if self.primary:
            return (self.primary, f"via {self.id}: {self.citation}")
        return (self.citation,)


def parse_sources(text: str, *, where: str = "sources.toml") -> dict[str, Source]:
    """Validate the bibliography's TOML into {id: Source}; raise DataFileError if bad."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(where, "toml", f"not valid TOML: {error}") from None
    document = Table(data, file=where, what="a TOML document")
    entries = document.tables("source", required=True)
    document.done()
    sources: dict[str, Source] = {}
    for entry in entries:
        source_id = entry.text("id")
        if not _ID.fullmatch(source_id):
            entry.fail("id", "must be a reference.md key without brackets")
        if source_id in sources:
            entry.fail("id", f"{source_id} is declared twice")
        citation = entry.text("citation")
        if len(citation.strip()) < MIN_CITATION_CHARS:
            entry.fail("citation", "must be the full citation")
        primary = entry.text("primary", required=False)
        retrieved = entry.flag("retrieved", default=True)
        entry.done()
        sources[source_id] = Source(source_id, citation.strip(), primary, retrieved)
    return sources


@cache
def bibliography() -> dict[str, Source]:
    """The shipped bibliography, read once."""
    return parse_sources(SOURCES_FILE.read_text(encoding="utf-8"))


def source_ids(cited: str | Iterable[str] | None) -> tuple[str, ...]:
    """The ids in a citation as findings and norms write it ("A, B") or as a list, in order."""
    if cited is None:
        return ()
    items = [cited] if isinstance(cited, str) else list(cited)
    ids: list[str] = []
    for item in items:
        ids += [part for part in _SEPARATOR.split(item.strip()) if part]
    return tuple(dict.fromkeys(ids))


def cited(ids: Iterable[str]) -> list[Source]:
    """The sources of the given ids that the bibliography knows, in the bibliography's order."""
    wanted = set(ids)
    return [source for key, source in bibliography().items() if key in wanted]
