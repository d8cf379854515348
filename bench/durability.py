"""The cost of SQLite's ``synchronous=FULL`` (the setting) against ``NORMAL``, per write.

A small write transaction like saving a form (a record and its history row, committed) is
timed under each mode on a scratch database in the benchmark's own directory, so the disk
is the one the benchmark database is on. FULL syncs the WAL at every commit, so a power
loss cannot undo an acknowledged write; NORMAL syncs at checkpoints only.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

MODES = ("FULL", "NORMAL")
ROW = "x" * 400  # about the size of an assessment section with its notes


def write_transaction_ms(path: Path, mode: str, *, transactions: int) -> list[float]:
    """The time of each of `transactions` small write transactions under `mode`, in ms."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", f"synchronous={mode}", "secure_delete=ON"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("CREATE TABLE IF NOT EXISTS record (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS record_history "
            "(id INTEGER PRIMARY KEY, record_id INTEGER, body TEXT, at REAL)"
        )
        samples = []
        for _ in range(transactions):
            started = time.perf_counter()
            connection.execute("BEGIN IMMEDIATE")
            row_id = connection.execute("INSERT INTO record (body) VALUES (?)", [ROW]).lastrowid
            connection.execute(
                "INSERT INTO record_history (record_id, body, at) VALUES (?, ?, ?)",
                [row_id, ROW, time.time()],
            )
            connection.execute("COMMIT")
            samples.append((time.perf_counter() - started) * 1000)
        return samples
    finally:
        connection.close()


def sync_cost(directory: Path, *, transactions: int = 300) -> dict:
    """Median and p95 of a small write transaction under FULL and NORMAL, and the ratio."""
    result: dict = {"transactions": transactions, "directory": str(directory)}
    with tempfile.TemporaryDirectory(dir=directory, prefix="durability-") as scratch:
        for mode in MODES:
            samples = sorted(
                write_transaction_ms(
                    Path(scratch) / f"{mode.lower()}.sqlite3", mode, transactions=transactions
                )
            )
            result[mode.lower()] = {
                "median_ms": round(statistics.median(samples), 3),
                "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 3),
            }
    normal = result["normal"]["median_ms"]
    result["full_over_normal"] = round(result["full"]["median_ms"] / normal, 1) if normal else None
    return result
