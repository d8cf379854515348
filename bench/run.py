"""The benchmark: one run measures everything, so that ratios are meaningful on a noisy machine.

    DEBUG=0 SECRET_KEY=... DATABASE_URL=... python -m bench.run [--clients 50000 ...]

Floors (a bare view through every middleware; the base template as a page, its view making
no query, which page times are compared with; the base template alone, no database), each
page (median and p95 server time in-process, SQL queries at the large and at the small
size), the plan PDF (data gathering and pure rendering, size, queries), the rule engine
(drafts per second on one core), a small write's cost under SQLite's synchronous=FULL
against NORMAL (bench/durability.py), a worker's memory over 1,000 PDF renders, then load under
gunicorn (bench/load.py). Writes bench/results.json (with a ``targets`` list) and
bench/results.txt. `make bench` seeds the sizes first (bench/seeding.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CASES_DIR = ROOT / "tests" / "cases"
HOST = "127.0.0.1"
QUERY_LIMIT = 10
FLOOR_FACTOR = 4
PDF_LIMIT_MS = 40
PHOTO_UPLOAD_LIMIT_MS = 1000
ENGINE_LIMIT = 500
LOAD_RATIO = 20
MEMORY_GROWTH = 0.20
# A practical default, not a measured need: a commit under synchronous=FULL (one fsync) should
# stay far below what a specialist notices when saving a form.
DURABLE_WRITE_LIMIT_MS = 10


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specialists", type=int, default=_env("BENCH_SPECIALISTS", 200))
    parser.add_argument("--clients", type=int, default=_env("BENCH_CLIENTS", 50_000))
    parser.add_argument("--assessments-per-client", type=int, default=5)
    parser.add_argument("--small-specialists", type=int, default=2)
    parser.add_argument("--small-clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=_env("BENCH_REQUESTS", 60))
    parser.add_argument("--pdf-renders", type=int, default=_env("BENCH_PDF_RENDERS", 1000))
    parser.add_argument("--load-seconds", type=float, default=_env("BENCH_LOAD_SECONDS", 10))
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    args = parser.parse_args(argv)
    # Production settings, as gunicorn will run them (a throw-away key, loopback only).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("ALLOWED_HOSTS", HOST)
    django.setup()
    from django.core.management import call_command

    _step("collectstatic (the manifest production settings read)")
    call_command("collectstatic", interactive=False, verbosity=0)

    from bench import durability, measure

    large, small = measure.worlds(args)
    results: dict = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": _machine()}
    results["sizes"] = {"large": measure.describe(large), "small": measure.describe(small)}
    _step("posture photos on the showcase assessments (four views each)")
    from bench import photos

    for world in (large, small):
        photos.ensure_photos(world.showcase_assessment, by=world.owner)
    _step("floors")
    results["floors"] = measure.floors(large, requests=max(300, args.requests))
    _step("pages")
    results["pages"] = measure.pages(large, small, requests=args.requests)
    _step("photos: thumbnails on the assessment page, a 12-megapixel upload")
    results["photos"] = {
        "page": photos.page_images(
            measure.page_client(large.owner),
            measure.page_urls(large)["assessment"][0],
        ),
        "upload": photos.upload(large.showcase_assessment, by=large.owner),
    }
    _step("plan PDF")
    results["pdf"] = measure.plan_pdf(large)
    _step("engine")
    results["engine"] = measure.engine(CASES_DIR)
    _step("explain")
    results["explain"] = measure.explain(large)
    _step("durability: a small write under synchronous=FULL and NORMAL")
    results["durability"] = durability.sync_cost(BENCH_DIR)
    _step("pose model: landmark suggestions on the drawn test set")
    results["pose_suggestions"] = _pose_suggestions()
    _step(f"memory over {args.pdf_renders} PDF renders")
    results["memory"] = _memory(large.showcase_version.pk, args.pdf_renders)
    if args.skip_load:
        results["load"] = {"measured": False, "reason": "--skip-load"}
    else:
        from bench import load

        _step("load under gunicorn")
        results["load"] = load.run(large, seconds=args.load_seconds)
    _step("scale-out rehearsal: nginx, two app servers, PostgreSQL, one worker")
    from bench import scale_out

    results["scale_out"] = scale_out.run()
    results["machine"]["loadavg_end"] = _loadavg()
    results["targets"] = targets(results)
    for target in results["targets"]:
        cause = next((c for k, c in KNOWN_CAUSES.items() if target["name"].startswith(k)), "")
        if cause and not target["met"]:
            target["known_cause"] = cause
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    table = report(results)
    args.out.with_suffix(".txt").write_text(table)
    sys.stdout.write(table)
    return 0


def _env(name: str, default):
    value = os.environ.get(name, "").strip()
    return type(default)(value) if value else default


def _step(name: str) -> None:
    sys.stderr.write(f"bench: {name}...\n")
    sys.stderr.flush()


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        version = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {version}",
        "platform": platform.platform(),
        "loadavg_start": _loadavg(),
    }


def _loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _pose_suggestions() -> dict:
    """The pose model's accuracy and speed on figures in known poses (bench/pose_accuracy.py)."""
    from django.conf import settings

    from assessments import pose_model
    from bench import pose_accuracy

    return pose_accuracy.measure(settings.POSE_MODEL_DIR / pose_model.MODEL_FILE)


def _memory(version_pk: int, renders: int) -> dict:
    """A fresh worker process renders the plan over and over; its peak RSS is read twice."""
    process = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(version_pk), str(renders)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        return {"measured": False, "reason": process.stderr.strip()[-500:]}
    return json.loads(process.stdout)


# --- Targets -----------------------------------------------------------------------------------

# The causes found when these targets were last missed (bench/EXPLAIN.md has the evidence),
# printed beside a target that is not met, so that the results say why. The page's own SQL
# time is the "SQL ms" column; the rest of its time is Python. With database connections
# kept open the floor is mostly middleware (about 1.5 ms on SQLite, 2.4 on PostgreSQL),
# which leaves 4.5 to 7 ms for a page's queries, objects and template (EXPLAIN.md 9).
_PAGE_FLOOR = " (EXPLAIN.md 9)"
KNOWN_CAUSES = {
    "dashboard: median": "six lists of up to 25 from nine queries with correlated subqueries "
    "(their SQL in the SQL ms column): the ORM builds and compiles them, makes about 150 rows "
    "into objects, and the template reverses about 140 links" + _PAGE_FLOOR,
    "dashboard_specialist: median": "the same nine queries, built and compiled, the lists "
    "starting from the specialist's clients" + _PAGE_FLOOR,
    "client_list: median": "the count for the pages reads every active client of the practice "
    "(SQLite: its index entries; PostgreSQL: a sequential scan, the cheaper plan for 49,000 "
    "of 50,000 rows), then 25 rows with two EXISTS each (EXPLAIN.md 2, 8)",
    "client_list_page_100: median": "the same count as the first page (EXPLAIN.md 2, 8)",
    "client_search: median": "'%word%' cannot use a B-tree: on SQLite the count reads every "
    "name of the practice; PostgreSQL reads its trigram indexes (EXPLAIN.md 2, 4)",
    "client_detail: median": "Python: 20 assessments with every section, their progress charts "
    "and the adherence table (the SQL ms column is the page's SQL)" + _PAGE_FLOOR,
    "assessment: median": "Python: one query joins the nine section tables (about 150 columns) "
    "and the page shows every section against its norms" + _PAGE_FLOOR,
    "program: median": "Python: a form and links for each of the 18 exercises" + _PAGE_FLOOR,
    "portal: median": "Python: each plan with its last sessions and the session form" + _PAGE_FLOOR,
    "portal_session: median": "Python: today's session, its cards and their drawings" + _PAGE_FLOOR,
    "pdf_download: median": "the frozen PDF (113 KB) read from the database and sent" + _PAGE_FLOOR,
    "api_client_list: median": "the same count as the list page, then 25 clients through "
    "DRF's serializer" + _PAGE_FLOOR,
    "api_client_search: median": "the search's count, as on the page (see client_search)",
    "api_findings: median": "Python: the assessment with every section, interpreted against "
    "the norms, as on the page" + _PAGE_FLOOR,
    "api_version: median": "Python: a version with its phases and 18 exercises through DRF's "
    "serializers" + _PAGE_FLOOR,
    "plan PDF: CPU median": "reportlab's paragraph layout, its zlib compression and encoding of "
    "the content in pure Python, through its public API only; each exercise's drawing is "
    "prepared once per process (programs/illustrations/drawing.py)",
}


def _target(name, value, limit, met, unit="", note=""):
    return {
        "name": name,
        "value": value,
        "limit": limit,
        "unit": unit,
        "met": bool(met),
        "note": note,
    }


def targets(results: dict) -> list[dict]:
    out = []
    floor = results["floors"]["base_page"]["median_ms"]
    for key, page in results["pages"].items():
        if not page.get("measured", True):
            out.append(_target(f"{key}: measured", None, None, False, note=page["reason"]))
            continue
        out.append(
            _target(
                f"{key}: SQL queries", page["queries"], QUERY_LIMIT, page["queries"] <= QUERY_LIMIT
            )
        )
        out.append(
            _target(
                f"{key}: same queries at both sizes",
                page["queries"],
                page["queries_small"],
                page["queries"] == page["queries_small"],
                note=f"{page['queries_small']} at {results['sizes']['small']['clients']} clients, "
                f"{page['queries']} at {results['sizes']['large']['clients']}",
            )
        )
        out.append(
            _target(
                f"{key}: median server time",
                page["median_ms"],
                round(FLOOR_FACTOR * floor, 2),
                page["median_ms"] <= FLOOR_FACTOR * floor,
                "ms",
                f"{page['median_ms'] / floor:.1f}x the base-page floor ({floor} ms)",
            )
        )
    pdf = results["pdf"]
    out.append(
        _target(
            "plan PDF: CPU median, a fresh plan",
            pdf["cpu_median_ms"],
            PDF_LIMIT_MS,
            pdf["cpu_median_ms"] <= PDF_LIMIT_MS,
            "ms",
            f"{pdf['measured_as']}, {pdf['exercises']} exercises, {pdf['pages']} pages; "
            f"wall {pdf['median_ms']} ms; the same plan again: "
            f"{pdf['same_plan_again_median_ms']} ms; a worker that has prepared none of its "
            f"drawings: {pdf['cold_cpu_median_ms']} ms CPU",
        )
    )
    shots = results["photos"]
    page = shots["page"]
    out.append(
        _target(
            "photos: the assessment page sends thumbnails only",
            page["largest_side"],
            page["thumbnail_long_side"],
            page["photos"] >= 4
            and page["originals"] == 0
            and page["largest_side"] <= page["thumbnail_long_side"],
            "px",
            f"{page['photos']} photos, {page['originals']} originals, "
            f"{page['bytes'] // 1024} KB in all",
        )
    )
    upload = shots["upload"]
    out.append(
        _target(
            "photos: 12-megapixel JPEG checked, re-encoded and stored",
            upload["median_ms"],
            PHOTO_UPLOAD_LIMIT_MS,
            upload["median_ms"] < PHOTO_UPLOAD_LIMIT_MS,
            "ms",
            f"{upload['megapixels']} MP, {upload['bytes'] // 1024} KB; worst of "
            f"{upload['runs']}: {upload['worst_ms']} ms",
        )
    )
    out.append(
        _target(
            "plan PDF: data gathering <= half of rendering",
            pdf["gather_median_ms"],
            round(pdf["render_median_ms"] / 2, 2),
            pdf["gather_median_ms"] <= pdf["render_median_ms"] / 2,
            "ms",
            f"rendering {pdf['render_median_ms']} ms",
        )
    )
    worst = max(pdf["queries"].values())
    out.append(
        _target(
            "plan PDF: queries whatever the exercises",
            worst,
            QUERY_LIMIT,
            worst <= QUERY_LIMIT,
            note=", ".join(f"{n} exercises: {q}" for n, q in pdf["queries"].items()),
        )
    )
    engine = results["engine"]
    out.append(
        _target(
            "engine: drafts per second, one core",
            engine["drafts_per_second"],
            ENGINE_LIMIT,
            engine["drafts_per_second"] >= ENGINE_LIMIT,
        )
    )
    durable = results["durability"]
    out.append(
        _target(
            "durability: small write transaction, synchronous=FULL",
            durable["full"]["median_ms"],
            DURABLE_WRITE_LIMIT_MS,
            durable["full"]["median_ms"] <= DURABLE_WRITE_LIMIT_MS,
            "ms",
            f"NORMAL: {durable['normal']['median_ms']} ms "
            f"({durable['full_over_normal']}x); p95 {durable['full']['p95_ms']} ms",
        )
    )
    pose = results["pose_suggestions"]
    if pose["measured"]:
        out.append(
            _target(
                "pose suggestions: median time per photo",
                pose["per_photo_ms"]["value"],
                pose["per_photo_ms"]["limit"],
                pose["per_photo_ms"]["met"],
                "ms",
                f"mean error {pose['error_px']['all']['mean']} px "
                f"({pose['error_pct_of_height']['all']['mean']}% of the figure's height) on "
                f"{pose['images']} drawn figures; no accuracy target",
            )
        )
    else:
        out.append(_target("pose suggestions: measured", None, None, False, note=pose["reason"]))
    memory = results["memory"]
    if memory.get("measured", True):
        growth = memory["peak_rss_kb_after_all"] / memory["peak_rss_kb_after_10"] - 1
        out.append(
            _target(
                f"memory: worker peak RSS growth, 10 to {memory['renders']} PDFs",
                round(100 * growth, 1),
                100 * MEMORY_GROWTH,
                growth <= MEMORY_GROWTH,
                "%",
                f"{memory['peak_rss_kb_after_10'] // 1024} MB -> "
                f"{memory['peak_rss_kb_after_all'] // 1024} MB",
            )
        )
    else:
        out.append(_target("memory: measured", None, None, False, note=memory["reason"]))
    rehearsal = results["scale_out"]
    if rehearsal["measured"]:
        for name, check in rehearsal["checks"].items():
            out.append(
                _target(
                    f"scale-out: {name.replace('_', ' ')}",
                    check["met"],
                    True,
                    check["met"],
                    note=check["seen"],
                )
            )
    else:
        out.append(_target("scale-out: measured", None, None, False, note=rehearsal["reason"]))
    load = results["load"]
    if load.get("measured", True):
        errors = sum(phase["errors"] for phase in load["phases"].values())
        out.append(
            _target(
                "load: errors",
                errors,
                0,
                errors == 0,
                note=", ".join(f"{k}: {v['errors']}" for k, v in load["phases"].items()),
            )
        )
        bare = load["phases"]["bare"]["rps"]
        for key in ("list", "detail"):
            rps = load["phases"][key]["rps"]
            out.append(
                _target(
                    f"load: {key} throughput >= 1/{LOAD_RATIO} of the bare view",
                    rps,
                    round(bare / LOAD_RATIO, 1),
                    rps >= bare / LOAD_RATIO,
                    "req/s",
                    f"1/{bare / rps:.1f} of {bare} req/s" if rps else "",
                )
            )
    else:
        out.append(_target("load: measured", None, None, False, note=load["reason"]))
    return out


def report(results: dict) -> str:
    lines = [
        f"Realign benchmark, {results['generated_at']}: {results['machine']['database']}, "
        f"{results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
        f"Django {results['machine']['django']}",
        f"Large size: {_size(results['sizes']['large'])}",
        f"Small size: {_size(results['sizes']['small'])}",
        "",
        f"Floors (median): bare view {results['floors']['bare']['median_ms']} ms, base template "
        f"as a page {results['floors']['base_page']['median_ms']} ms (the page floor), base "
        f"template alone with no database access {results['floors']['template']['median_ms']} ms",
        f"Load average: {results['machine']['loadavg_start']} at the start, "
        f"{results['machine'].get('loadavg_end')} at the end",
        "",
        f"{'page':<22}{'median ms':>10}{'p95 ms':>9}{'x floor':>9}{'queries':>9}{'small':>7}"
        f"{'small ms':>10}{'SQL ms':>8}",
    ]
    floor = results["floors"]["base_page"]["median_ms"]
    for key, page in results["pages"].items():
        if not page.get("measured", True):
            lines.append(f"{key:<22}not measured: {page['reason']}")
            continue
        lines.append(
            f"{key:<22}{page['median_ms']:>10}{page['p95_ms']:>9}{page['median_ms'] / floor:>9.1f}"
            f"{page['queries']:>9}{page['queries_small']:>7}{page['small_median_ms']:>10}"
            f"{page.get('sql_ms', '-'):>8}"
        )
    pdf = results["pdf"]
    lines += [
        "",
        f"Client's plan PDF ({pdf['phases']} session steps, {pdf['exercises']} exercises, "
        f"{pdf['pages']} pages, "
        f"{pdf['bytes'] // 1024} KB): median {pdf['median_ms']} ms = gathering "
        f"{pdf['gather_median_ms']} ms + rendering {pdf['render_median_ms']} ms "
        f"({pdf['measured_as']}); the same plan drawn again: "
        f"{pdf['same_plan_again_median_ms']} ms",
        f"Engine: {results['engine']['drafts_per_second']} drafts/s on one core "
        f"({results['engine']['cases']} cases)",
        f"SQLite small write transaction: synchronous=FULL (the setting) median "
        f"{results['durability']['full']['median_ms']} ms, p95 "
        f"{results['durability']['full']['p95_ms']} ms; NORMAL "
        f"{results['durability']['normal']['median_ms']} ms",
    ]
    pose = results["pose_suggestions"]
    if pose["measured"]:
        levels = ", ".join(f"{k} {v['mean']}" for k, v in pose["angle_error_deg"].items())
        lines.append(
            f"Pose suggestions ({pose['images']} drawn figures): mean error "
            f"{pose['error_px']['all']['mean']} px = {pose['error_pct_of_height']['all']['mean']}% "
            f"of the figure's height, recall {pose['recall']['fraction']}; levels off by "
            f"(degrees) {levels}; plumb off by {pose['plumb_error_pct_points']['all']['mean']} "
            f"points; {pose['per_photo_ms']['value']} ms a photo"
        )
    load = results["load"]
    if load.get("measured", True):
        lines += [
            "",
            f"Load ({load['tool']}, gunicorn {load['workers']} workers, "
            f"{load['seconds']} s a phase):",
        ]
        lines.append(f"{'phase':<16}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
        for key, phase in load["phases"].items():
            lines.append(
                f"{key:<16}{phase['concurrency']:>5}{phase['rps']:>9}{phase['p50_ms']:>9}"
                f"{phase['p99_ms']:>9}{phase['errors']:>8}"
            )
        fresh = load.get("list_conn_max_age_0")
        if fresh:
            lines.append(
                f"list, CONN_MAX_AGE=0: {fresh['rps']} req/s against "
                f"{load['phases']['list']['rps']} with CONN_MAX_AGE={load['conn_max_age']}"
            )
    rehearsal = results["scale_out"]
    if rehearsal["measured"]:
        lines += ["", f"Scale-out rehearsal: {rehearsal['layout']}"]
        lines += [f"  {name}: {check['seen']}" for name, check in rehearsal["checks"].items()]
    lines += ["", f"{'target':<58}{'value':>10}{'limit':>10}  met"]
    for t in results["targets"]:
        value = "-" if t["value"] is None else t["value"]
        limit = "-" if t["limit"] is None else t["limit"]
        lines.append(f"{t['name']:<58}{value!s:>10}{limit!s:>10}  {'yes' if t['met'] else 'NO'}")
    missed = [t for t in results["targets"] if not t["met"]]
    lines += [
        "",
        f"{len(results['targets']) - len(missed)} of {len(results['targets'])} targets met.",
    ]
    for t in missed:
        unit = f" {t['unit']}" if t["unit"] else ""
        lines.append(f"NOT MET: {t['name']} ({t['value']} against {t['limit']}{unit}) {t['note']}")
        if t.get("known_cause"):
            lines.append(f"  known cause: {t['known_cause']}")
    return "\n".join(lines) + "\n"


def _size(size: dict) -> str:
    return (
        f"{size['specialists']} specialists, {size['clients']} clients "
        f"({size['assessments']} assessments, {size['published']} published plans)"
    )


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


if __name__ == "__main__":
    sys.exit(main())
