"""Load: the README's production server (gunicorn) on 127.0.0.1, a load generator on loopback.

``run(world, seconds=...)`` starts ``gunicorn config.wsgi --bind 127.0.0.1:PORT --workers 3``
with production settings (DEBUG=0, a throw-away SECRET_KEY, the benchmark's URLconf for the
bare view), signs the owner in (a session row, as a sign-in would make), then runs, each for a
bounded time: the bare view, the client list, client detail pages, and mixed reads (list,
detail, PDF) at concurrency 16 while assessment sections are saved concurrently. It uses
wrk when installed and otherwise a small thread-based generator (http.client). Only
127.0.0.1 is ever contacted. It also runs the list with CONN_MAX_AGE=0 (a new database
connection for each request), to show what keeping connections open buys.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

HOST = "127.0.0.1"
WORKERS = 3
CONCURRENCY = 16
SAVE_CONCURRENCY = 4
ROOT = Path(__file__).resolve().parent.parent


def run(world, *, seconds: float = 10.0) -> dict:
    from assessments.models import Assessment
    from clients.models import Client as ClientRecord
    from programs.models import ProgramVersion

    owner = world.owner
    scope = ClientRecord.objects.for_user(owner).active()
    pick = random.Random(7)
    with_assessments = Assessment.objects.filter(client__in=scope).values_list(
        "client_id", flat=True
    )
    detail_ids = pick.sample(sorted(set(with_assessments)), 300)
    published = ProgramVersion.objects.filter(program__client__in=scope, status="published")
    versions = pick.sample(sorted(published.values_list("pk", flat=True)), 100)
    saves = list(
        Assessment.objects.filter(
            client__in=scope, lock_version=1, tech_neck__isnull=False
        ).values_list("pk", flat=True)[:20_000]
    )
    list_url = reverse("clients:list")
    # Searches are posted and kept in the session: their result pages are part of the sign-in.
    session, csrf, searched = _sign_in(owner, searches=("berg", "an", "sofia", "ng"))
    lists = [list_url] + [f"{list_url}?page={n}" for n in range(2, 40)] + searched
    details = [reverse("clients:detail", args=[pk]) for pk in detail_ids]
    pdfs = [reverse("programs:download", args=[pk]) for pk in versions]
    mixed = []
    for n in range(300):
        mixed += [lists[n % len(lists)], details[n % len(details)]]
        if n % 2 == 0:
            mixed.append(pdfs[n % len(pdfs)])

    port = _free_port()
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-Forwarded-Proto": "https",  # as the TLS-terminating proxy of the README sets it
        "Host": f"{HOST}:{port}",
    }
    tool = "wrk" if shutil.which("wrk") else "python"
    gunicorn = _Gunicorn(port)
    phases: dict[str, dict] = {}
    try:
        gunicorn.start()
        _warm(port, headers, [reverse("bench_bare"), lists[0], details[0], pdfs[0]])
        rss_before = gunicorn.worker_rss()
        phases["bare"] = _load(tool, port, headers, [reverse("bench_bare")], seconds, CONCURRENCY)
        phases["list"] = _load(tool, port, headers, lists[:1], seconds, CONCURRENCY)
        phases["detail"] = _load(tool, port, headers, details, seconds, CONCURRENCY)
        phases["pdf"] = _load(tool, port, headers, pdfs, seconds, CONCURRENCY)
        save_headers = {
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}:{port}",
            "X-CSRFToken": csrf,
        }
        body = urlencode(
            {
                "lock_version": 1,
                "tech_neck-cva_deg": 47.5,
                "tech_neck-wall_distance_cm": 11,
                "tech_neck-screen_hours_per_day": 6,
            }
        )
        save_paths = [reverse("assessments:section", args=[pk, "tech_neck"]) for pk in saves]
        mixed_result, saves_result = _together(
            lambda: _load(tool, port, headers, mixed, seconds, CONCURRENCY),
            lambda: _load(
                tool,
                port,
                save_headers,
                save_paths,
                seconds,
                SAVE_CONCURRENCY,
                body=body,
                once=True,
            ),
        )
        phases["mixed_reads"] = mixed_result
        phases["saves_during_reads"] = saves_result
        rss_after = gunicorn.worker_rss()
    finally:
        gunicorn.stop()
    result = {
        "tool": tool,
        "server": f"gunicorn config.wsgi --bind 127.0.0.1:PORT --workers {WORKERS}",
        "workers": WORKERS,
        "seconds": seconds,
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        "phases": phases,
        "save_pool": len(save_paths),
        "worker_rss_kb_before": rss_before,
        "worker_rss_kb_after": rss_after,
    }
    growth = [
        rss_after[pid] / rss_before[pid] - 1
        for pid in rss_before
        if pid in rss_after and rss_before[pid]
    ]
    if growth:
        result["worker_rss_growth"] = max(growth)
        before, after = sorted(rss_before.values()), sorted(rss_after.values())
        result["worker_rss_note"] = (
            f"{len(growth)} workers, {before[0] // 1024}-{before[-1] // 1024} MB -> "
            f"{after[0] // 1024}-{after[-1] // 1024} MB after "
            f"{sum(p['requests'] for p in phases.values())} requests"
        )
    if settings.DATABASES["default"]["CONN_MAX_AGE"]:
        fresh = _Gunicorn(port, conn_max_age=0)
        try:
            fresh.start()
            _warm(port, headers, lists[:1])
            result["list_conn_max_age_0"] = _load(
                tool, port, headers, lists[:1], seconds, CONCURRENCY
            )
        finally:
            fresh.stop()
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _sign_in(user, *, searches=()) -> tuple[str, str, list[str]]:
    """A real session for the user (the row a sign-in makes), a CSRF secret, and the result
    URLs of the client searches posted in that session."""
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    found = [
        client.post(reverse("clients:list"), {"q": words}, secure=True)["Location"]
        for words in searches
    ]
    return client.cookies[settings.SESSION_COOKIE_NAME].value, get_random_string(32), found


def _together(*jobs):
    results = [None] * len(jobs)

    def work(index, job):
        results[index] = job()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class _Gunicorn:
    def __init__(self, port: int, *, conn_max_age: int | None = None):
        self.port = port
        self.conn_max_age = conn_max_age
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile(prefix="realign-bench-gunicorn-")  # noqa: SIM115

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions made in-process must verify
            "ALLOWED_HOSTS": HOST,
        }
        if self.conn_max_age is not None:
            env["CONN_MAX_AGE"] = str(self.conn_max_age)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "config.wsgi", "--bind", f"{HOST}:{self.port}"]
        command += ["--workers", str(WORKERS)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"gunicorn exited: {self.log.read()[-2000:].decode()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 60 s")

    def worker_rss(self) -> dict[int, int]:
        if self.process is None:
            return {}
        rss = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", status, re.M):
                match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
                if match:
                    rss[int(entry.name)] = int(match.group(1))
        return rss

    def stop(self) -> None:
        stop(self.process)
        self.log.close()


def stop(process: subprocess.Popen | None, *, grace: float = 30) -> None:
    """Stop a server process: SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _warm(port: int, headers: dict, paths: list[str]) -> None:
    for path in paths:
        for _ in range(WORKERS * 2):
            status, _ = _request(port, "GET", path, headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} under gunicorn")


def _request(port, method, path, headers, body=None) -> tuple[int, int]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def _load(tool, port, headers, paths, seconds, concurrency, *, body=None, once=False) -> dict:
    runner = _wrk if tool == "wrk" else _python_load
    result = runner(port, headers, paths, seconds, concurrency, body=body, once=once)
    return {"concurrency": concurrency, "paths": len(paths), **result}


# --- wrk ---------------------------------------------------------------------------------------

_LUA = r"""
local paths = {%(paths)s}
local headers = {%(headers)s}
local method = "%(method)s"
local body = %(body)s
local threads = %(threads)d
local once = %(once)s
local counter = 0
local setup_count = 0
for k, v in pairs(headers) do wrk.headers[k] = v end
setup = function(thread)
  thread:set("tid", setup_count)
  setup_count = setup_count + 1
end
init = function(args)
  counter = tid  -- the global set by setup(): threads take disjoint paths
end
request = function()
  local index = counter
  counter = counter + threads
  if once and index >= #paths then
    index = index %% #paths  -- the pool ran out: a repeat save is a conflict, counted as an error
  end
  return wrk.format(method, paths[(index %% #paths) + 1], nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("BENCHJSON {",
    string.format('"requests": %%d, "duration_us": %%d, "bytes": %%d, ',
      summary.requests, summary.duration, summary.bytes),
    string.format('"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, ',
      e.connect, e.read, e.write, e.status, e.timeout),
    string.format('"p50_us": %%d, "p99_us": %%d, "max_us": %%d}\n',
      latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)


def _wrk(port, headers, paths, seconds, concurrency, *, body=None, once=False) -> dict:
    threads = 2
    script = _LUA % {
        "paths": ", ".join(_lua_string(p) for p in paths),
        "headers": ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()),
        "method": "POST" if body is not None else "GET",
        "body": "nil" if body is None else _lua_string(body),
        "threads": threads,
        "once": "true" if once else "false",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        process = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{concurrency}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                handle.name,
                f"http://{HOST}:{port}/",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    line = next(line for line in process.stdout.splitlines() if line.startswith("BENCHJSON "))
    data = json.loads(line.removeprefix("BENCHJSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": data["requests"],
        "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "max_ms": round(data["max_us"] / 1000, 1),
        "errors": errors,
        "error_kinds": {
            k: data[k] for k in ("connect", "read", "write", "status", "timeout") if data[k]
        },
    }


# --- The fallback: threads and http.client ---------------------------------------------------


def _python_load(port, headers, paths, seconds, concurrency, *, body=None, once=False) -> dict:
    """A bounded load from ``concurrency`` threads, loopback only (when wrk is not installed)."""
    method = "POST" if body is not None else "GET"
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = {"status": 0, "connect": 0}
    cursor = {"next": 0}

    def worker():
        while time.monotonic() < deadline:
            with lock:
                index = cursor["next"]
                cursor["next"] += 1
            path = paths[index % len(paths)]
            started = time.perf_counter()
            try:
                status, _ = _request(port, method, path, headers, body)
            except OSError:
                with lock:
                    errors["connect"] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status >= 400:
                    errors["status"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "errors": sum(errors.values()),
        "error_kinds": {k: v for k, v in errors.items() if v},
    }
