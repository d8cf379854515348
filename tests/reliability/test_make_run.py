"""`make run` serves the app and runs the task worker beside it; stopping it stops both
(issue 19). Run as a user runs it, on a database of its own, on a free port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(session: int) -> list[str]:
    """The command lines of the live processes in the session ``session`` (setsid's). A
    zombie (state Z) has exited already and only waits for its parent to read its status:
    in a container whose first process does not reap orphans it can linger; it is left out."""
    out = subprocess.run(["ps", "-eo", "sid=,stat=,args="], capture_output=True, text=True).stdout
    rows = [line.split(None, 2) for line in out.splitlines()]
    return [row[2] for row in rows if row[0] == str(session) and not row[1].startswith("Z")]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own server on loopback
    except urllib.error.HTTPError:
        return True  # an answer all the same
    except OSError:
        return False
    return True


def test_make_run_serves_the_app_with_its_worker_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # make run uses the project's own settings
    run = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        deadline = time.monotonic() + 180
        while not answers(f"http://127.0.0.1:{port}/") and time.monotonic() < deadline:
            assert run.poll() is None, "make run stopped before serving"
            time.sleep(1)
        assert answers(f"http://127.0.0.1:{port}/"), "make run did not serve in 3 minutes"
        running = children_of(run.pid)
        assert any("manage.py ox_worker" in line for line in running), running
        assert any(f"runserver 127.0.0.1:{port}" in line for line in running), running

        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends
        run.wait(timeout=30)
        time.sleep(1)
        assert children_of(run.pid) == []
        assert not answers(f"http://127.0.0.1:{port}/")
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
