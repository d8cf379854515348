"""A rehearsal of scaling out: Debian's nginx, buffering, in front of two app servers
(gunicorn, each its own processes) on two ports, one PostgreSQL database and one task
worker, all on loopback with production settings.

It checks what several app servers need of the app: a session started on one is used on
the other; a posture photo uploaded through one is served by the other (one storage,
reached through Django's storage API); the proxy shares the requests between both; and
the day's reminders, started twice at once (cron on each server), are emailed once.

    python -m bench.scale_out          # prints the results as JSON; `make bench` runs it

It needs nginx (`make bench` installs Debian's package when it can) and a PostgreSQL
server on 127.0.0.1:5432 (the database ``realign_scale_out`` is made afresh and dropped).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, suppress
from pathlib import Path

from bench.load import stop

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SITE = "realign.test"  # the Host every request names (the proxy passes it on)
DATABASE = "realign_scale_out"
PG = {"host": HOST, "port": 5432, "user": "postgres"}
APP_WORKERS = 2  # gunicorn processes per app server
PROXY_REQUESTS = 12
DEMO_PASSWORD = "realign-demo-2026"  # programs/demo.py's demo accounts
WAIT_SECONDS = 90
API_RATE = 5  # requests a minute per token, low enough to reach in the rehearsal


def run() -> dict:
    """The rehearsal's results: each check with what was seen, or why it could not run."""
    missing = _missing()
    if missing:
        return {"measured": False, "reason": missing}
    with tempfile.TemporaryDirectory(prefix="realign-scale-out-") as folder, ExitStack() as stack:
        place = Path(folder)
        env = _environment(place)
        _fresh_database()
        stack.callback(_drop_database)
        _manage(env, "migrate", "--no-input", "--verbosity", "0")
        _manage(env, "seed_demo", "--allow-production")
        facts = json.loads(_python(env, "-m", "bench.scale_out", "--prepare"))
        ports = [_free_port() for _ in range(3)]
        worker = stack.enter_context(_Process("worker", _manage_command(env, "ox_worker"), env))
        servers = [
            stack.enter_context(_Process(f"app {port}", _gunicorn(port), env, port=port))
            for port in ports[1:]
        ]
        proxy = stack.enter_context(_Process("nginx", _nginx(place, ports), env, port=ports[0]))
        checks = {
            "session_across_servers": _session_check(ports[1], ports[2]),
            "proxy_shares_requests": _proxy_check(ports[0], ports[1:]),
            "photo_across_servers": _photo_check(ports[1], ports[2], ports[0], facts),
            "reminder_sent_once": _reminder_check(env, place, facts),
            "api_rate_across_servers": _rate_check(ports[1], ports[2], facts["token"]),
        }
        return {
            "measured": True,
            "layout": (
                f"nginx {_nginx_version()} on port {ports[0]} (buffering) -> gunicorn "
                f"config.wsgi on ports {ports[1]} and {ports[2]} ({APP_WORKERS} workers each) "
                f"-> PostgreSQL {HOST}:5432; one ox_worker; photos in one folder through "
                "STORAGES['photos']"
            ),
            "checks": checks,
            "logs_clean": all(p.alive() for p in (worker, *servers, proxy)),
        }


# --- What each check does ----------------------------------------------------------------------


class Browser:
    """Cookies and a CSRF token carried from one server to another, as one browser's."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, *, body=b"", headers=None):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        sent = {
            "Host": SITE,
            # What the TLS-terminating load balancer in front says (README, Deploying).
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.headers, data

    def form_token(self, port, path) -> str:
        _, _, page = self.request(port, "GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1).decode()

    def post(self, port, path, fields: dict, *, files: dict | None = None):
        token = self.form_token(port, path)
        body, kind = _multipart({"csrfmiddlewaretoken": token, **fields}, files or {})
        headers = {
            "Content-Type": kind,
            "Origin": f"https://{SITE}",
            "Referer": f"https://{SITE}{path}",
        }
        return self.request(port, "POST", path, body=body, headers=headers)


def _session_check(first: int, second: int) -> dict:
    browser = Browser()
    status, headers, _ = browser.post(
        first, "/accounts/login/", {"username": "owner", "password": DEMO_PASSWORD}
    )
    signed_in = status == 302 and "/accounts/login/" not in headers.get("Location", "")
    status, headers, page = browser.request(second, "GET", "/dashboard/")
    return {
        "met": signed_in and status == 200 and b"Sign out" in page,
        "seen": f"signed in on port {first} ({'yes' if signed_in else 'no'}); the dashboard "
        f"on port {second} answered {status}",
    }


def _proxy_check(proxy: int, servers: list[int]) -> dict:
    browser = Browser()
    browser.post(proxy, "/accounts/login/", {"username": "owner", "password": DEMO_PASSWORD})
    upstreams, statuses = set(), []
    for _ in range(PROXY_REQUESTS):
        status, headers, _ = browser.request(proxy, "GET", "/dashboard/")
        statuses.append(status)
        upstreams.add(headers.get("X-Upstream", ""))
    wanted = {f"{HOST}:{port}" for port in servers}
    return {
        "met": upstreams == wanted and set(statuses) == {200},
        "seen": f"{PROXY_REQUESTS} requests through the proxy answered {sorted(set(statuses))}, "
        f"served by {sorted(upstreams)}",
    }


def _photo_check(first: int, second: int, proxy: int, facts: dict) -> dict:
    from bench.photos import camera_jpeg

    browser = Browser()
    browser.post(first, "/accounts/login/", {"username": "owner", "password": DEMO_PASSWORD})
    upload = camera_jpeg((1600, 1200))
    path = f"/assessments/{facts['assessment']}/photos/"
    status, headers, _ = browser.post(
        first, path, {"view": "left"}, files={"image": ("left.jpg", upload, "image/jpeg")}
    )
    match = re.search(r"/assessments/photos/(\d+)/", headers.get("Location", ""))
    if status != 302 or not match:
        return {"met": False, "seen": f"the upload through port {first} answered {status}"}
    photo = match.group(1)
    served = []
    for port in (second, proxy):
        status, headers, data = browser.request(
            port, "GET", f"/assessments/photos/{photo}/thumbnail.jpg"
        )
        served.append((port, status, headers.get("Content-Type"), data[:3] == b"\xff\xd8\xff"))
    return {
        "met": all(status == 200 and jpeg for _, status, _, jpeg in served),
        "seen": f"photo {photo} uploaded through port {first}; its thumbnail: "
        + ", ".join(f"port {p} {s} {t}" for p, s, t, _ in served),
    }


def _rate_check(first: int, second: int, token: str) -> dict:
    """A token's rate (API_RATE) is one count, whichever server answers."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    browser = Browser()
    statuses = [
        browser.request(port, "GET", "/api/v1/clients/", headers=headers)[0]
        for port in (first, second) * API_RATE
    ][: API_RATE + 1]
    return {
        "met": statuses == [200] * API_RATE + [429],
        "seen": f"{API_RATE + 1} calls with one token, taking turns between the servers, "
        f"at a rate of {API_RATE} a minute: {statuses}",
    }


def _reminder_check(env: dict, place: Path, facts: dict) -> dict:
    # Cron on each app server starts the day's reminders at the same moment.
    day = facts["day"]
    runs = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            _manage_command(env, "send_reminders", "--date", day),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for process in runs:
        process.wait(timeout=60)
    mail = place / "mail"
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        queue = json.loads(_python(env, "-m", "bench.scale_out", "--pending"))
        if queue["pending"] == 0:
            break
        time.sleep(1)
    sent = [path for path in mail.glob("*") if facts["email"].encode() in path.read_bytes()]
    messages = sum(path.read_bytes().count(b"\nSubject: ") for path in sent)
    tasks = queue["reminder_tasks_run"]
    return {
        "met": messages == 1 and tasks >= 2,
        "seen": f"send_reminders --date {day} run twice at once: the worker ran {tasks} "
        f"reminder tasks for the client and {messages} email reached the mail folder (the "
        "outbox sends each key once)",
    }


# --- Set-up, run by the rehearsal in the rehearsal's own settings ------------------------------


def prepare() -> dict:
    """A demo client with a running plan who wants reminders every day, an assessment to
    upload a photo to, and the day the reminder is due (printed as JSON)."""
    from django.utils import timezone

    from api import tokens
    from assessments.models import Assessment
    from clients.models import User
    from programs.models import ProgramVersion
    from reminders.models import ReminderSettings

    today = timezone.localdate()
    version = (
        ProgramVersion.objects.filter(
            status="published", starts_on__lte=today, retest_on__gte=today
        )
        .select_related("program__client__user")
        .order_by("pk")
        .first()
    )
    client = version.program.client
    if client.user is None:  # reminders go to clients who can read them in the portal
        email = client.email or f"client-{client.pk}@example.org"
        client.user = User.objects.create(username=email, email=email, is_active=True)
        client.email = email
        client.save(update_fields=["user", "email"])
    ReminderSettings.objects.update_or_create(
        client=client, defaults={"wants_reminders": True, "exercise_days": "0123456"}
    )
    assessment = Assessment.objects.filter(client__consents__isnull=False).order_by("pk").first()
    owner = User.objects.get(username="owner")
    return {
        "assessment": assessment.pk,
        "email": client.email or client.user.email,
        "day": today.isoformat(),
        "token": tokens.create_token(owner, name="scale-out rehearsal")[1],
    }


def pending() -> dict:
    """How many tasks the worker has not finished (printed as JSON)."""
    from django_ox.models import OxTask

    waiting = [OxTask.Status.READY, OxTask.Status.RUNNING, "WAITING"]
    reminders = OxTask.objects.filter(task_path__endswith="exercise_reminder")
    return {
        "pending": OxTask.objects.filter(status__in=waiting).count(),
        "reminder_tasks_run": reminders.filter(status=OxTask.Status.SUCCESSFUL).count(),
    }


# --- Processes -----------------------------------------------------------------------------------


class _Process:
    def __init__(self, name: str, command: list[str], env: dict, *, port: int | None = None):
        self.name, self.command, self.env, self.port = name, command, env, port
        self.log = tempfile.TemporaryFile(prefix="realign-scale-out-")  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own commands
            self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        if self.port is not None:
            _wait_for(self.port, self)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-2000:].decode(errors="replace")

    def __exit__(self, *exc):
        stop(self.process)
        self.log.close()


def _wait_for(port: int, process: _Process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited: {process.output()}")
        with suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not start within 60 s")


def _environment(place: Path) -> dict:
    (place / "photos").mkdir()
    (place / "mail").mkdir()
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "bench.scale_out_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": SITE,
        "SITE_URL": f"https://{SITE}",
        "DATABASE_URL": f"postgres://{PG['user']}@{HOST}:{PG['port']}/{DATABASE}",
        "PHOTO_ROOT": str(place / "photos"),  # one folder both servers reach: shared storage
        "SCALE_OUT_MAIL": str(place / "mail"),
        "API_TOKEN_RATE": f"{API_RATE}/min",
    }


def _manage_command(env: dict, *args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def _manage(env: dict, *args: str) -> str:
    return _python(env, "manage.py", *args)


def _python(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr[-1500:]}")
    return done.stdout


def _gunicorn(port: int) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(APP_WORKERS)]


def _nginx(place: Path, ports: list[int]) -> list[str]:
    """Debian's nginx in the foreground with a configuration of the rehearsal's own."""
    prefix = place / "nginx"
    (prefix / "logs").mkdir(parents=True)
    servers = "\n".join(f"        server {HOST}:{port};" for port in ports[1:])
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream realign {{
{servers}
    }}
    server {{
        listen {HOST}:{ports[0]};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://realign;
            proxy_buffering on;
            proxy_request_buffering on;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
    )
    return [_nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf")]


def _nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_version() -> str:
    done = subprocess.run([_nginx_binary(), "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stderr.strip().rpartition("/")[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _missing() -> str:
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return "nginx is not installed (apt-get install nginx)"
    try:
        with socket.create_connection((HOST, PG["port"]), timeout=2):
            pass
    except OSError:
        return f"no PostgreSQL answers on {HOST}:{PG['port']}"
    return ""


def _pg():
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **PG)


def _fresh_database() -> None:
    from psycopg import sql

    with _pg() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def _drop_database() -> None:
    from psycopg import sql

    with suppress(Exception), _pg() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("--prepare", "--pending"):
        import django

        django.setup()
        sys.stdout.write(json.dumps(prepare() if argv[0] == "--prepare" else pending()) + "\n")
        return 0
    sys.stdout.write(json.dumps(run(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
