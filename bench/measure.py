"""In-process measurements: floors, pages, the plan PDF, the engine and query plans.

Every page goes through the whole middleware stack (Django's test client, signed in, over
"https" so production settings apply) and its body is read to the end, as a WSGI server would.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import time
from pathlib import Path

from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.seeding import Size, World, find

HOST = "127.0.0.1"
WARMUP = 5


def worlds(args) -> tuple[World, World]:
    sizes = []
    for specialists, clients in (
        (args.specialists, args.clients),
        (args.small_specialists, args.small_clients),
    ):
        size = Size(
            specialists=specialists,
            clients=clients,
            assessments_per_client=args.assessments_per_client,
        )
        world = find(size)
        if world is None:
            raise SystemExit(
                f"bench: size {size.key} is not seeded; run: python -m bench.seed_scale "
                f"--specialists {specialists} --clients {clients} "
                f"--assessments-per-client {args.assessments_per_client}"
            )
        world.size = size
        sizes.append(world)
    return sizes[0], sizes[1]


def describe(world: World) -> dict:
    from assessments.models import Assessment
    from clients.models import Client as ClientRecord
    from programs.models import ProgramVersion

    practice = world.practice
    return {
        "key": world.size.key,
        "specialists": practice.memberships.count(),
        "clients": ClientRecord.objects.filter(practice=practice).count(),
        "assessments": Assessment.objects.filter(client__practice=practice).count(),
        "published": ProgramVersion.objects.filter(
            program__client__practice=practice, status="published"
        ).count(),
        "owner": world.owner.username,
    }


def page_client(user) -> Client:
    """A browser signed in as ``user``."""
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return client


def fetch(client: Client, url: str) -> tuple[int, int]:
    response = client.get(url, secure=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response.status_code, len(body)


def _timed(fn, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2),
        "requests": len(ordered),
    }


# --- Floors ------------------------------------------------------------------------------------


def floors(world: World, *, requests: int) -> dict:
    """The bare view through every middleware; the base template alone, with no database
    access; and the base template as a page (through every middleware, the view itself
    making no query), the floor that page times are compared with."""
    signed_in = page_client(world.owner)
    result = {}
    for name, url in (("bare", "bench_bare"), ("base_page", "bench_base_page")):
        url = reverse(url)
        for _ in range(WARMUP):
            fetch(signed_in, url)
        with CaptureQueriesContext(connection) as captured:
            fetch(signed_in, url)
        queries = len(captured)  # read now: the next request clears the connection's log
        result[name] = _stats(_timed(lambda url=url: fetch(signed_in, url), requests))
        result[name]["queries"] = queries
    result["template"] = template_floor(world, requests=requests)
    return result


def template_floor(world: World, *, requests: int) -> dict:
    from django.template.loader import render_to_string

    from clients.models import User

    user = User.objects.select_related("membership__practice").get(pk=world.owner.pk)
    with contextlib.suppress(User.client_profile.RelatedObjectDoesNotExist):
        user.client_profile  # noqa: B018  (caches "no client profile" on the instance)
    request = RequestFactory(HTTP_HOST=HOST).get("/", secure=True)
    request.user = user
    request.session = {}

    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"the template floor touched the database: {sql[:80]}")

    def render():
        render_to_string("base.html", {"title": "Floor"}, request=request)

    with connection.execute_wrapper(refuse):
        for _ in range(WARMUP):
            render()
        samples = _timed(render, requests)
    return _stats(samples)


# --- Pages -------------------------------------------------------------------------------------


def page_urls(world: World) -> dict[str, tuple[str, object] | str]:
    """Page name -> (url, user), or the reason it cannot be measured."""
    owner, version = world.owner, world.showcase_version
    urls: dict[str, tuple[str, object] | str] = {}
    try:
        urls["dashboard"] = (reverse("dashboard"), owner)
        # The page most people open: a specialist's own (the lists start from their clients).
        urls["dashboard_specialist"] = (reverse("dashboard"), world.specialist)
    except NoReverseMatch:
        urls["dashboard"] = "no URL named 'dashboard' in this checkout (the page is not built yet)"
    client_list = reverse("clients:list")
    urls |= {
        "client_list": (client_list, owner),
        "client_list_page_100": (f"{client_list}?page=100", owner),
        # Posted in the page's session first (clients/list_search.py): see _search_results.
        "client_search": (client_list, owner),
        "client_detail": (reverse("clients:detail", args=[world.showcase.pk]), owner),
        "assessment": (reverse("assessments:detail", args=[world.showcase_assessment.pk]), owner),
        "program": (reverse("programs:version", args=[version.pk]), owner),
        "portal": (reverse("portal:home"), world.portal_user),
        # The client's page of one plan: today's session, its cards and their drawings.
        "portal_session": (reverse("portal:plan", args=[version.pk]), world.portal_user),
        "share_landing": (reverse("portal:shared_plan", args=[share_token(world)]), None),
        "pdf_download": (reverse("programs:download", args=[version.pk]), owner),
    }
    # The API as a script calls it, with a personal token (API_PAGES).
    clients_url = reverse("api:client-list")
    urls |= {
        "api_client_list": (clients_url, owner),
        "api_client_search": (f"{clients_url}?search={world.search_term}", owner),
        "api_client_detail": (reverse("api:client-detail", args=[world.showcase.pk]), owner),
        "api_assessment": (
            reverse("api:assessment-detail", args=[world.showcase_assessment.pk]),
            owner,
        ),
        "api_findings": (
            reverse("api:assessment-findings", args=[world.showcase_assessment.pk]),
            owner,
        ),
        "api_programs": (f"{reverse('api:program-list')}?client={world.showcase.pk}", owner),
        "api_version": (reverse("api:version-detail", args=[version.pk]), owner),
        "api_sessions": (reverse("api:client-sessions", args=[world.showcase.pk]), owner),
    }
    return urls


def share_token(world: World) -> str:
    """A share link of the showcase plan for this run (only its hash is stored)."""
    from programs import sharing

    _, token = sharing.create_share_link(world.showcase_version, by=world.owner)
    return token


def _api_client(user) -> Client:
    """A script's client: a personal token of ``user`` made for this run (the run's
    earlier tokens revoked, so that a user never holds more than the limit)."""
    from api import tokens

    for row in tokens.active(user).filter(name=BENCH_TOKEN):
        tokens.revoke(row)
    _, token = tokens.create_token(user, name=BENCH_TOKEN, days=1)
    return Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")


BENCH_TOKEN = "make bench"


SEARCH_PAGES = {"client_search"}


def _search_results(client: Client, world: World) -> str:
    """The URL of the list's results for the world's search term, posted as the form does."""
    response = client.post(reverse("clients:list"), {"q": world.search_term}, secure=True)
    return response["Location"]


def _queries(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        status, _ = fetch(client, url)
    if status != 200:
        raise SystemExit(f"bench: {url} answered {status}")
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def _client_for(clients: dict, name: str, user) -> Client:
    """One client per user and kind: signed in for pages, a token for the API, none for
    a share link's bearer."""
    if user is None:
        return Client(HTTP_HOST=HOST)
    kind = "api" if name.startswith("api_") else "page"
    key = (kind, user.pk)
    if key not in clients:
        clients[key] = _api_client(user) if kind == "api" else page_client(user)
    return clients[key]


def pages(large: World, small: World, *, requests: int) -> dict:
    results = {}
    small_urls = page_urls(small)
    clients: dict[int, Client] = {}
    for name, entry in page_urls(large).items():
        if isinstance(entry, str):
            results[name] = {"measured": False, "reason": entry}
            continue
        url, user = entry
        client = _client_for(clients, name, user)
        if name in SEARCH_PAGES:
            url = _search_results(client, large)
        for _ in range(WARMUP):
            fetch(client, url)
        queries, sql = _queries(client, url)
        stats = _stats(_timed(lambda client=client, url=url: fetch(client, url), requests))
        small_url, small_user = small_urls[name]
        small_client = _client_for(clients, name, small_user)
        if name in SEARCH_PAGES:
            small_url = _search_results(small_client, small)
        for _ in range(WARMUP):
            fetch(small_client, small_url)
        small_queries, _ = _queries(small_client, small_url)
        small_stats = _stats(
            _timed(lambda c=small_client, u=small_url: fetch(c, u), max(20, requests // 2))
        )
        results[name] = {
            "url": url,
            **stats,
            "bytes": fetch(client, url)[1],
            "queries": queries,
            "queries_small": small_queries,
            "small_median_ms": small_stats["median_ms"],
            "sql_ms": sql_time(sql),
            "sql": sql,
        }
    return results


def sql_time(statements: list[str], *, runs: int = 9) -> float:
    """The database's share of a page: its SELECT statements, as logged, run again alone
    and read to the end (median of ``runs``, in ms). The rest of the page's time is Python:
    middleware, building and compiling the queries, the rows' objects and the template."""
    selects = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def run():
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)  # as logged, with its values: no parameters
                cursor.fetchall()

    run()
    return round(statistics.median(_timed(run, runs)) * 1000, 2)


# --- The plan PDF ------------------------------------------------------------------------------


def plan_pdf(world: World, *, runs: int = 30) -> dict:
    """The client's plan PDF as publishing freezes it (``sharing.render_version``): data
    gathering (the ClientPlan, the logo, the portal address) and pure rendering, timed apart.

    The renderer keeps no plan between renders (reportlab's public API only); fonts, the
    pose files and each exercise's prepared drawing are worked out once per process. A
    plan not drawn before and the same plan again cost the same but for noise: both are
    reported, after three warm-up renders, and so is a cold worker that has prepared none
    of the plan's drawings. The target reads the CPU time of the fresh plan.
    """
    from django.conf import settings
    from pypdf import PdfReader

    from programs import sharing
    from programs.access import get_version_for
    from programs.client_plans import client_plan_for
    from programs.documents import portal_url
    from programs.models import ProgramVersion
    from programs.pdf.client_plan_pdf import render_client_plan

    def load(pk):
        return get_version_for(world.owner, pk)

    def gather(version):  # what sharing.render_version reads, in its order
        return (
            client_plan_for(version),
            sharing.practice_logo(version.program.client.practice),
            portal_url(version),
        )

    def render(gathered) -> bytes:
        plan, logo, url = gathered
        return render_client_plan(
            plan, page_size=settings.PLAN_PAGE_SIZE, logo=logo, portal_url=url
        )

    def once(pk: int, *, cold: bool = False) -> tuple[float, float, bytes, float]:
        if cold:
            forget_illustrations()
        version = load(pk)
        started, cpu = time.perf_counter(), time.process_time()
        gathered = gather(version)
        middle = time.perf_counter()
        pdf = render(gathered)
        ended = time.perf_counter()
        return middle - started, ended - middle, pdf, time.process_time() - cpu

    showcase = world.showcase_version.pk
    again = [once(showcase) for _ in range(runs + 3)][3:]
    # The target's figure: the showcase drawn after other plans of the practice (a worker
    # that has been drawing other clients' plans), three warm-up rounds left out.
    others = list(
        ProgramVersion.objects.filter(
            program__client__practice=world.practice, published_at__isnull=False
        )
        .exclude(pk=showcase)
        .order_by("pk")
        .values_list("pk", flat=True)[:3]
    )
    fresh = []
    for _ in range(runs + 3):
        for other in others:
            once(other)
        fresh.append(once(showcase))
    fresh = fresh[3:]
    # Cold: the plan drawn by a worker that has prepared none of its illustrations yet
    # (each exercise's drawing is worked out once per process, then reused).
    cold = [once(showcase, cold=True) for _ in range(runs + 3)][3:]
    pdf = fresh[-1][2]
    # What was timed is what publishing freezes, byte for byte.
    same_as_publish = pdf == sharing.render_version(load(showcase))

    queries = {}
    for version in (world.showcase_version, world.bulk_version):
        if version is None:
            continue
        loaded = load(version.pk)
        exercises = len(client_plan_for(load(version.pk)).exercises)
        with CaptureQueriesContext(connection) as ctx:
            gather(loaded)
        queries[exercises] = len(ctx.captured_queries)

    plan = client_plan_for(load(showcase))
    return {
        "median_ms": _median_ms([g + r for g, r, _, _ in fresh]),
        "cpu_median_ms": _median_ms([c for _, _, _, c in fresh]),
        "gather_median_ms": _median_ms([g for g, _, _, _ in fresh]),
        "render_median_ms": _median_ms([r for _, r, _, _ in fresh]),
        "measured_as": f"the client's plan, after {len(others)} other plans",
        "cold_cpu_median_ms": _median_ms([c for _, _, _, c in cold]),
        "cold_median_ms": _median_ms([g + r for g, r, _, _ in cold]),
        "same_plan_again_median_ms": _median_ms([g + r for g, r, _, _ in again]),
        "same_plan_again_gather_ms": _median_ms([g for g, _, _, _ in again]),
        "same_plan_again_render_ms": _median_ms([r for _, r, _, _ in again]),
        "runs": runs,
        "same_bytes_as_publishing": same_as_publish,
        "bytes": len(pdf),
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "phases": sum(len(stage.steps) for stage in plan.stages),
        "exercises": len(plan.exercises),
        "findings": len(plan.found),
        "queries": queries,
    }


def forget_illustrations() -> None:
    """Empty the per-process illustration caches (functools' public cache_clear)."""
    from programs.illustrations import scene_of, shipped_operators

    shipped_operators.cache_clear()
    scene_of.cache_clear()


def _median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


# --- The engine --------------------------------------------------------------------------------


def engine(cases_dir: Path, *, seconds: float = 3.0) -> dict:
    """Drafts per second on the hold-out-like cases, pinned to one core."""
    from programs.engine import suggest_from_dict

    cases = [json.loads(p.read_text())["input"] for p in sorted(cases_dir.glob("*.json"))]
    previous = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if previous:
        os.sched_setaffinity(0, {min(previous)})
    try:
        for case in cases:
            suggest_from_dict(case)
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for case in cases:
                suggest_from_dict(case)
            count += len(cases)
        elapsed = time.perf_counter() - started
    finally:
        if previous:
            os.sched_setaffinity(0, previous)
    return {
        "drafts_per_second": round(count / elapsed),
        "cases": len(cases),
        "drafts": count,
        "seconds": round(elapsed, 2),
    }


# --- Query plans -------------------------------------------------------------------------------


def explain(world: World) -> dict:
    """The plan of every query of every page at the large size (kept in results.json)."""
    plans = {}
    clients: dict = {}
    for name, entry in page_urls(world).items():
        if isinstance(entry, str):
            continue
        url, user = entry
        client = _client_for(clients, name, user)
        fetch(client, url)
        _, sql = _queries(client, url)
        plans[name] = [
            {"sql": q, "plan": plan_of(q)} for q in sql if q.lstrip().startswith("SELECT")
        ]
    return plans


def plan_of(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [f"{row[0]}:{row[1]} {row[3]}" for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]
