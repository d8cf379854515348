"""Scale data for the benchmark: a practice chain of N specialists and M clients, in bulk.

``seed(Size(...))`` builds one practice per size: an owner and specialists, clients of every
population (names, contacts, postpartum details), PAR-Q+ screenings (some positive, some
cleared), consents, dated assessments with the sections their population calls for (and now
and then a pain report), and for a share of clients a published program drafted by the real
engine from their latest assessment, with its phases, exercises, frozen PDF, downloads and
(when the model exists) home-session logs. A showcase client is made through the app's own
services: a postpartum client with many assessments and a three-phase plan of 18 or more
exercises, published (its PDF rendered for real), with a portal account.

Rows go in with one multi-row statement per batch (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), ids allocated here, and every audited record gets its "+" history row, written
in bulk the same way, dated when the record was made and attributed to its specialist.
The whole run is one transaction: a size is either fully there or not at all, and running
it again for the same size does nothing (idempotent per size).

Published versions of the bulk share carry the PDF rendered for the first client of their
population (same pages, fonts and size as their own would have); the showcase's PDF is its own.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    Gait,
    OverheadSquat,
    PainReport,
    PelvicTilt,
    Postpartum,
    SeniorTests,
    StaticPosture,
    TechNeck,
    Youth,
)
from assessments.posture import OHS, POSTURE_DEVIATIONS
from clients.models import Clearance, Client, Consent, Membership, Practice, Screening, User
from clients.population import add_years
from programs import services
from programs.case import parse_case
from programs.engine import draft_to_dict, suggest
from programs.models import (
    Download,
    Exercise,
    Phase,
    Program,
    ProgramExercise,
    ProgramVersion,
)

BATCH = 5000
SHOWCASE_FIRST_NAME = "Elena"
SHOWCASE_LAST_NAME = "Marchetti-Lund"
SEARCH_TERM = "berg"  # a common fragment of surnames: Berg, Lindberg, Bergström...


@dataclass(frozen=True)
class Size:
    specialists: int = 200
    clients: int = 50_000
    assessments_per_client: int = 5
    published_share: float = 0.1
    showcase_assessments: int = 20
    showcase_exercises: int = 18  # the showcase plan holds at least this many exercises
    seed: int = 7

    @property
    def key(self) -> str:
        return (
            f"{self.specialists}x{self.clients}x{self.assessments_per_client}"
            f"-p{round(self.published_share * 100)}"
            f"-s{self.showcase_assessments}x{self.showcase_exercises}"
        )

    @property
    def practice_name(self) -> str:
        return f"Realign Scale Chain {self.key}"

    @property
    def owner_username(self) -> str:
        return f"scale-{self.key}-owner"


@dataclass
class World:
    """What the benchmark and the tests need to find in a seeded size."""

    practice: Practice
    owner: User
    specialist: User  # a specialist (not the owner) of the practice
    showcase: Client
    showcase_assessment: Assessment
    showcase_version: ProgramVersion
    bulk_version: ProgramVersion | None  # a published bulk plan (engine draft only)
    portal_user: User
    search_term: str = SEARCH_TERM
    summary: dict[str, Any] = field(default_factory=dict)


# --- Bulk writing ------------------------------------------------------------------------------


class Table:
    """Rows of one model (and its "+" history rows) waiting to go in, ids allocated here."""

    def __init__(self, model: type[models.Model], *, now: datetime):
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.names = [f.attname for f in fields]
        self.pk = model._meta.pk.attname
        self.defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            else:
                # Django's own default: the declared one, "" for a blank text field, else None.
                self.defaults[f.attname] = f.get_default()
        self.converters = [(f.attname, _converter(f)) for f in fields]
        self.rows: list[tuple] = []
        self.next_id = _max_id(model, model._meta.pk.column) + 1
        self.count = 0
        historical = getattr(getattr(model, "history", None), "model", None)
        self.history = None if historical is None else _History(historical)

    def add(self, values: dict[str, Any], *, by: int | None = None, at: datetime | None = None):
        row_id = self.next_id
        self.next_id += 1
        values = {**self.defaults, **values, self.pk: row_id}
        db = {
            name: values[name] if convert is None else convert(values[name])
            for name, convert in self.converters
        }
        self.rows.append(tuple(db[name] for name in self.names))
        self.count += 1
        if self.history is not None:
            self.history.add(db, by=by, at=at or values.get("created_at") or timezone.now())
        return row_id

    def flush(self) -> None:
        if self.rows:
            _write(self.model._meta.db_table, self.columns, self.rows)
            self.rows = []
        if self.history is not None:
            self.history.flush()


class _History:
    """The historical table of a model: the same values, plus who, when and "+" (created)."""

    def __init__(self, historical):
        self.model = historical
        fields = list(historical._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.names = [f.attname for f in fields]
        self.date = _converter(historical._meta.get_field("history_date"))
        self.rows: list[tuple] = []
        self.next_id = _max_id(historical, "history_id") + 1
        self.count = 0

    def add(self, db: dict[str, Any], *, by: int | None, at: datetime) -> None:
        row = {
            **db,
            "history_id": self.next_id,
            "history_date": self.date(at) if self.date else at,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": by,
        }
        self.next_id += 1
        self.count += 1
        self.rows.append(tuple(row[name] for name in self.names))

    def flush(self) -> None:
        if self.rows:
            _write(self.model._meta.db_table, self.columns, self.rows)
            self.rows = []


def _max_id(model, column: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({column}) FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0] or 0


def _json(value):
    return None if value is None else json.dumps(value)


def _sqlite_date(value):
    return None if value is None else value.isoformat()


def _sqlite_datetime(value):
    # What Django's SQLite backend stores: naive UTC, str() format.
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def _converter(f):
    """Python value -> what the database driver takes (Django's own conversions are ~10x
    slower, and they are most of the seeding time at this size)."""
    kind = f.get_internal_type()
    if kind == "JSONField":
        return _json  # COPY text format and SQLite both take JSON as text
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates, aware datetimes, numbers and bytes itself
    if kind == "DateField":
        return _sqlite_date
    if kind == "DateTimeField":
        return _sqlite_datetime
    if kind == "DecimalField":
        return lambda v, f=f: f.get_db_prep_save(v, connection)
    return None


def _write(table: str, columns: list[str], rows: list[tuple]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                rows,
            )


def _reset_sequences(model_list) -> None:
    """PostgreSQL: move each id sequence past the ids given here (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# --- What a chain's records look like ----------------------------------------------------------

FEMALE_NAMES = [
    "Amara",
    "Anna",
    "Astrid",
    "Beatriz",
    "Camille",
    "Chloé",
    "Dana",
    "Eva",
    "Fatima",
    "Freya",
    "Grace",
    "Hana",
    "Ingrid",
    "Isabel",
    "Jana",
    "Julia",
    "Keiko",
    "Laila",
    "Lena",
    "Lucía",
    "Maja",
    "Maria",
    "Mei",
    "Nadia",
    "Noor",
    "Olga",
    "Paula",
    "Priya",
    "Rosa",
    "Sara",
    "Sofia",
    "Tamar",
    "Una",
    "Valentina",
    "Wanda",
    "Yara",
    "Zoë",
    "Aisha",
    "Bianca",
    "Clara",
]
MALE_NAMES = [
    "Adam",
    "Ahmed",
    "Ben",
    "Carlos",
    "Daniel",
    "David",
    "Emil",
    "Erik",
    "Felix",
    "Hugo",
    "Ivan",
    "Jakob",
    "Jonas",
    "Kenji",
    "Leo",
    "Liam",
    "Luca",
    "Malik",
    "Marco",
    "Mateo",
    "Nils",
    "Omar",
    "Oscar",
    "Pablo",
    "Pedro",
    "Rafael",
    "Samuel",
    "Tariq",
    "Theo",
    "Tomás",
    "Viktor",
    "William",
    "Yusuf",
    "Ziad",
    "Anders",
    "Bruno",
    "Diego",
]
LAST_NAMES = [
    "Berg",
    "Lindberg",
    "Bergström",
    "Okafor",
    "Reyes",
    "Lindqvist",
    "Marchetti",
    "Walsh",
    "Nguyễn",
    "Müller",
    "Ødegaard",
    "García",
    "Rossi",
    "Kowalski",
    "Novak",
    "Kim",
    "Tanaka",
    "Silva",
    "Santos",
    "Ferreira",
    "Hansen",
    "Jensen",
    "Nielsen",
    "Larsen",
    "Johansson",
    "Andersson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Virtanen",
    "Korhonen",
    "Dubois",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Patel",
    "Shah",
    "Khan",
    "Ali",
    "Hussain",
    "Ahmed",
    "Cohen",
    "Levi",
    "Mizrahi",
    "Popescu",
    "Ionescu",
    "Horvath",
    "Nagy",
    "Papadopoulos",
    "Georgiou",
    "Ivanova",
    "Petrov",
    "Sokolov",
    "Yilmaz",
    "Demir",
    "Kaya",
    "Sahin",
    "Mensah",
    "Owusu",
    "Adeyemi",
    "Banda",
    "Phiri",
    "Moyo",
    "Dlamini",
    "Costa",
    "Oliveira",
    "Pereira",
    "Alves",
    "Ribeiro",
    "Romero",
    "Navarro",
    "Torres",
    "Ramírez",
    "Flores",
    "Rivera",
    "Gómez",
    "Díaz",
    "Morales",
    "Ortiz",
    "Castillo",
    "Rahman",
    "Chowdhury",
    "Das",
    "Singh",
    "Kaur",
    "Gupta",
    "Sharma",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Huang",
]
GOALS = (
    "Less neck stiffness after long days at the computer.",
    "Stay steady on her feet and keep gardening.",
    "Rebuild core strength and return to running.",
    "Play football without knee pain.",
    "Get back to hiking after a winter off.",
    "Sit at the desk without a sore lower back.",
    "Keep up with the grandchildren.",
    "Lift the children without a sore back.",
)
POPULATIONS = (("adult", 55), ("senior", 20), ("postpartum", 12), ("youth", 13))


def _population(rng: random.Random) -> str:
    roll, total = rng.random() * 100, 0
    for population, weight in POPULATIONS:
        total += weight
        if roll < total:
            return population
    return "adult"


def _posture(code: str) -> dict:
    side = "both" if POSTURE_DEVIATIONS[code].per_side else None
    return {"code": code, "side": side}


def _ohs(code: str) -> dict:
    spec = OHS[code]
    return {"code": code, "view": spec.view, "side": "both" if spec.per_side else None}


ADULT_POSTURE = (
    ("forward_head", "rounded_shoulders"),
    ("rounded_shoulders",),
    ("anterior_pelvic_tilt",),
    ("knees_in",),
    ("forward_head", "elevated_shoulders"),
    ("feet_flatten", "knees_in"),
)
ADULT_OHS = (
    ("head_forward",),
    ("arms_fall_forward", "head_forward"),
    ("knees_in", "feet_turn_out"),
    ("low_back_arches",),
    ("excessive_forward_lean",),
    (),
)
SENIOR_GAIT = ((), ("short_stride",), ("reduced_arm_swing", "short_stride"), ("slow_speed",))


def _r(value: float, step: float = 0.5) -> float:
    return round(round(value / step) * step, 2)


class _Person:
    """One client's fixed traits, from which every session's figures drift a little."""

    def __init__(self, rng: random.Random, population: str, today: date):
        self.population = population
        self.rng = rng
        self.today = today
        self.sex = "female" if population == "postpartum" else rng.choice(("female", "male"))
        age = {
            "adult": rng.randint(22, 58),
            "senior": rng.randint(60, 88),
            "postpartum": rng.randint(24, 42),
            "youth": rng.randint(10, 17),
        }[population]
        self.birth_date = add_years(today, -age) - timedelta(days=rng.randint(0, 360))
        self.delivery_date: date | None = None  # set from the first session's date
        self.spacing = 21 if population == "postpartum" else 42  # days between sessions
        self.posture = rng.choice(ADULT_POSTURE)
        self.ohs = rng.choice(ADULT_OHS)
        self.gait = rng.choice(SENIOR_GAIT)
        self.cva = rng.uniform(41, 52)
        self.tilt = rng.uniform(6, 15)
        self.fitness = rng.uniform(-1, 1)
        self.ird = rng.uniform(1.2, 3.4)
        self.height = {10: 140, 11: 145, 12: 151, 13: 157, 14: 163, 15: 168, 16: 171, 17: 173}
        self.leakage = rng.random() < 0.08

    def sections(self, session: int) -> dict[str, Any]:
        """Section values of a session (0 = the first); later sessions show some progress."""
        rng, gain = self.rng, session * 0.4
        if self.population == "adult":
            return {
                "tech_neck": {
                    "cva_deg": _r(min(self.cva + gain + rng.uniform(-1, 1), 55)),
                    "wall_distance_cm": _r(rng.uniform(8, 15)),
                    "screen_hours_per_day": float(rng.randint(3, 11)),
                },
                "static_posture": [_posture(c) for c in self.posture],
                "pelvic_tilt": {
                    "pelvic_tilt_left_deg": _r(self.tilt + rng.uniform(-1, 1)),
                    "pelvic_tilt_right_deg": _r(self.tilt + rng.uniform(-1.5, 1.5)),
                },
                "overhead_squat": [_ohs(c) for c in self.ohs],
            }
        if self.population == "senior":
            f = self.fitness + session * 0.1
            return {
                "senior_tests": {
                    "chair_stand_30s": max(4, round(12 + 3 * f + rng.uniform(-1, 1))),
                    "arm_curl_30s": max(5, round(15 + 3 * f + rng.uniform(-1, 1))),
                    "two_min_step": max(40, round(88 + 15 * f)),
                    "chair_sit_reach_cm": _r(-2 + 4 * f),
                    "back_scratch_cm": _r(-9 + 5 * f),
                    "up_and_go_8ft_s": _r(6.2 - 1.2 * f, 0.1),
                    "six_min_walk_m": float(round(500 + 70 * f)),
                    "tug_s": _r(10.5 - 2 * f, 0.1),
                    "tandem_stance_s": _r(min(30.0, 18 + 8 * f), 1),
                },
                "gait": list(self.gait),
            }
        if self.population == "postpartum":
            ird = max(0.8, self.ird - session * 0.2)
            return {
                "postpartum": {
                    "ird_above_umbilicus_cm": _r(ird * 0.8, 0.1),
                    "ird_umbilicus_cm": _r(ird, 0.1),
                    "ird_below_umbilicus_cm": _r(ird * 0.6, 0.1),
                    "doming": ird > 2.2,
                    "leakage": self.leakage,
                    "heaviness": False,
                    "pelvic_pain": False,
                },
                "pelvic_tilt": {
                    "pelvic_tilt_left_deg": _r(self.tilt + 2),
                    "pelvic_tilt_right_deg": _r(self.tilt + 1.5),
                },
                "static_posture": [_posture("anterior_pelvic_tilt")],
            }
        age = min(17, max(10, (self.today - self.birth_date).days // 365))
        height = self.height[age] + (8 if self.sex == "male" and age > 13 else 0)
        return {
            "youth": {
                "height_cm": _r(height + rng.uniform(-4, 4), 0.5),
                "sitting_height_cm": _r(height * 0.52, 0.5),
                "weight_kg": _r(height * 0.33 + rng.uniform(-4, 6), 0.5),
                "growth_pain": ["knee"] if rng.random() < 0.1 else [],
            },
            "overhead_squat": [_ohs("knees_in"), _ohs("feet_turn_out")],
        }


SECTION_TABLES = {
    "static_posture": StaticPosture,
    "tech_neck": TechNeck,
    "pelvic_tilt": PelvicTilt,
    "overhead_squat": OverheadSquat,
    "gait": Gait,
    "senior_tests": SeniorTests,
    "postpartum": Postpartum,
    "youth": Youth,
}


def _section_values(key: str, values) -> dict:
    if key in ("static_posture", "overhead_squat"):
        return {"observations": values, "notes": ""}
    if key == "gait":
        return {"deviations": values, "notes": ""}
    return dict(values)


def _case(person: _Person, assessed_on: date, sections: dict, pain, parq_yes, cleared) -> dict:
    """The case-format input of a session (what services.case_dict_from builds from the ORM)."""
    client: dict[str, Any] = {"birth_date": person.birth_date.isoformat(), "sex": person.sex}
    if person.delivery_date is not None:
        client["postpartum"] = {
            "delivery_date": person.delivery_date.isoformat(),
            "delivery_type": "vaginal",
        }
    measures: dict[str, Any] = {}
    for key in ("tech_neck", "pelvic_tilt"):
        measures.update(sections.get(key, {}))
    if "static_posture" in sections:
        measures["posture"] = [o["code"] for o in sections["static_posture"]]
    if sections.get("overhead_squat"):
        measures["ohs"] = [o["code"] for o in sections["overhead_squat"]]
    if sections.get("gait"):
        measures["gait"] = list(sections["gait"])
    for group in ("senior_tests", "postpartum", "youth"):
        if group in sections:
            values = {k: v for k, v in sections[group].items() if v not in (None, [])}
            measures[group.removesuffix("_tests")] = values
    if pain:
        measures["pain"] = [{"region": region, "score": score} for region, score in pain]
    return {
        "client": client,
        "assessed_on": assessed_on.isoformat(),
        "screening": {"parq_yes": list(parq_yes), "clearance_recorded": cleared},
        "measures": measures,
    }


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- The seeding -------------------------------------------------------------------------------


def find(size: Size) -> World | None:
    """The world of an already seeded size, or None."""
    practice = Practice.objects.filter(name=size.practice_name).first()
    if practice is None:
        return None
    owner = User.objects.get(username=size.owner_username)
    specialist = (
        User.objects.filter(membership__practice=practice, membership__role="specialist")
        .order_by("id")
        .first()
    ) or owner
    showcase = Client.objects.get(practice=practice, last_name=SHOWCASE_LAST_NAME)
    version = ProgramVersion.objects.filter(program__client=showcase, status="published").latest(
        "published_at"
    )
    bulk = (
        ProgramVersion.objects.filter(program__client__practice=practice, status="published")
        .exclude(program__client=showcase)
        .order_by("id")
        .first()
    )
    return World(
        practice=practice,
        owner=owner,
        specialist=specialist,
        showcase=showcase,
        showcase_assessment=showcase.assessments.order_by("-assessed_on", "-id").first(),
        showcase_version=version,
        bulk_version=bulk,
        portal_user=showcase.user,
    )


def seed(size: Size, *, log=lambda message: None) -> tuple[World, bool]:
    """Build the size's world unless it exists; returns it and whether it was made now."""
    existing = find(size)
    if existing is not None:
        return existing, False
    services.ensure_loaded()
    started = time.perf_counter()
    with transaction.atomic():
        seeder = _Seeder(size, log=log)
        counts = seeder.run()
    seeder.analyze()
    world = find(size)
    world.summary = {**counts, "seconds": round(time.perf_counter() - started, 1)}
    return world, True


class _Seeder:
    def __init__(self, size: Size, *, log):
        self.size = size
        self.log = log
        self.rng = random.Random(f"{size.key}-{size.seed}")
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tag = hashlib.sha256(size.key.encode()).hexdigest()[:6]
        self.ruleset_version, self.ruleset = services.current_ruleset()
        self.library = services.current_library()
        self.exercises = {e.slug: e for e in Exercise.objects.all()}
        now = self.now
        self.t = {
            model: Table(model, now=now)
            for model in (
                User,
                Membership,
                Client,
                Screening,
                Clearance,
                Consent,
                Assessment,
                *SECTION_TABLES.values(),
                PainReport,
                Program,
                ProgramVersion,
                Phase,
                ProgramExercise,
                Download,
            )
        }
        self.session_log = _session_log_model()
        if self.session_log is not None:
            self.t[self.session_log] = Table(self.session_log, now=now)
        self.pdf_groups: dict[str, list[int]] = {}

    def flush(self) -> None:
        for table in self.t.values():
            table.flush()

    def analyze(self) -> None:
        """PostgreSQL: fresh planner statistics for the tables just filled, as a live database
        has them (autovacuum would get there later; until then plans are for empty tables)."""
        if connection.vendor != "postgresql":
            return
        tables = [t.model._meta.db_table for t in self.t.values()]
        tables += [t.history.model._meta.db_table for t in self.t.values() if t.history]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def run(self) -> dict[str, int]:
        size = self.size
        practice = Practice.objects.create(name=size.practice_name)
        password = make_password(settings.REALIGN_DEMO_PASSWORD)
        users = self.t[User]
        staff = []
        for i in range(size.specialists):
            first = self.rng.choice(FEMALE_NAMES + MALE_NAMES)
            last = self.rng.choice(LAST_NAMES)
            username = size.owner_username if i == 0 else f"scale-{size.key}-s{i:03d}"
            user_id = users.add(
                {
                    "username": username,
                    "password": password,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                    "date_joined": self.now,
                }
            )
            self.t[Membership].add(
                {
                    "user_id": user_id,
                    "practice_id": practice.pk,
                    "role": "owner" if i == 0 else "specialist",
                }
            )
            staff.append(user_id)
        self.flush()
        for start in range(0, size.clients, 2000):
            for index in range(start, min(size.clients, start + 2000)):
                self._client(practice.pk, staff[index % len(staff)], index)
            self.flush()
            self.log(f"  {min(size.clients, start + 2000)} clients")
        self._freeze_pdfs()
        _reset_sequences(list(self.t) + [t.history.model for t in self.t.values() if t.history])
        self._showcase(practice, User.objects.get(pk=staff[0]))
        return {name: table.count for name, table in self._named().items()} | {
            "history_rows": sum(t.history.count for t in self.t.values() if t.history)
        }

    def _named(self) -> dict[str, Table]:
        return {
            "users": self.t[User],
            "clients": self.t[Client],
            "screenings": self.t[Screening],
            "assessments": self.t[Assessment],
            "sections": _Sum(self.t[m] for m in SECTION_TABLES.values()),
            "published_programs": self.t[ProgramVersion],
            "program_exercises": self.t[ProgramExercise],
        }

    def _client(self, practice_id: int, specialist_id: int, index: int) -> None:
        rng, today, size = self.rng, self.today, self.size
        population = _population(rng)
        person = _Person(rng, population, today)
        first = rng.choice(FEMALE_NAMES if person.sex == "female" else MALE_NAMES)
        last = rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{index}.{self.tag}@example.net".lower()
        days = 120 if population == "postpartum" else 700
        last_activity = self.now - timedelta(minutes=rng.randint(60, days * 24 * 60))
        is_new = rng.random() < 0.04  # no consent yet, so no assessment
        archived = not is_new and rng.random() < 0.02
        sessions = 0 if is_new else size.assessments_per_client
        published = sessions > 0 and not archived and rng.random() < size.published_share
        portal_id = None
        if published:
            portal_id = self.t[User].add(
                {
                    "username": email,
                    "password": "!" + hashlib.sha256(email.encode()).hexdigest()[:40],
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "date_joined": last_activity,
                }
            )
        first_session = last_activity.date() - timedelta(
            days=person.spacing * max(sessions - 1, 0) + 3
        )
        if population == "postpartum":
            person.delivery_date = first_session - timedelta(weeks=rng.randint(4, 10))
        created = _at(first_session - timedelta(days=14))
        client_id = self.t[Client].add(
            {
                "practice_id": practice_id,
                "specialist_id": specialist_id,
                "user_id": portal_id,
                "first_name": first,
                "last_name": last,
                "birth_date": person.birth_date,
                "sex": person.sex,
                "email": email,
                "phone": f"+44 7700 9{index % 100000:05d}",
                "goals": rng.choice(GOALS),
                "notes": "",
                "delivery_date": person.delivery_date,
                "delivery_type": "vaginal" if person.delivery_date else "",
                "previous_births": rng.randint(0, 2) if person.delivery_date else None,
                "archived_at": last_activity if archived else None,
                "last_activity_at": last_activity,
                "created_at": created,
            },
            by=specialist_id,
        )
        screened_on = first_session - timedelta(days=7)
        parq_yes = [1, 5] if rng.random() < 0.1 and not published else []
        self.t[Screening].add(
            {
                "client_id": client_id,
                "screened_on": screened_on,
                "notes": "",
                "recorded_by_id": specialist_id,
                "created_at": _at(screened_on),
                **{f"q{n}": True for n in parq_yes},
            },
            by=specialist_id,
        )
        cleared = bool(parq_yes) and rng.random() < 0.5
        if cleared:
            self._clearance(client_id, specialist_id, screened_on + timedelta(days=5))
        if not is_new:
            self.t[Consent].add(
                {
                    "client_id": client_id,
                    "consented_on": screened_on,
                    "agreed": "Assessments, records and program design, as explained.",
                    "recorded_by_id": specialist_id,
                    "created_at": _at(screened_on),
                },
                by=specialist_id,
            )
        latest = None
        for session in range(sessions):
            assessed_on = first_session + timedelta(days=person.spacing * session)
            sections = person.sections(session)
            pain = (
                [("low_back", rng.randint(2, 5))] if not published and rng.random() < 0.03 else []
            )
            assessment_id = self._assessment(client_id, specialist_id, assessed_on, sections, pain)
            latest = (assessment_id, assessed_on, sections, pain)
        if published:
            assessment_id, assessed_on, sections, pain = latest
            parq = () if cleared or not parq_yes else tuple(parq_yes)
            case = _case(person, assessed_on, sections, pain, parq, cleared)
            draft = draft_to_dict(
                suggest(parse_case(case), ruleset=self.ruleset, library=self.library)
            )
            if draft["referral"]["required"]:
                # As the demo does: the physician's clearance is on file before publishing.
                self._clearance(client_id, specialist_id, assessed_on)
                case["screening"]["clearance_recorded"] = True
                draft = draft_to_dict(
                    suggest(parse_case(case), ruleset=self.ruleset, library=self.library)
                )
            self._program(client_id, specialist_id, portal_id, assessment_id, assessed_on, draft)

    def _clearance(self, client_id: int, specialist_id: int, on: date) -> None:
        self.t[Clearance].add(
            {
                "client_id": client_id,
                "cleared_on": on,
                "cleared_by": "Dr. A. Lee, GP",
                "note": "Cleared for supervised corrective exercise.",
                "recorded_by_id": specialist_id,
                "created_at": _at(on, 16),
            },
            by=specialist_id,
        )

    def _assessment(self, client_id, specialist_id, assessed_on, sections, pain) -> int:
        at = _at(assessed_on)
        assessment_id = self.t[Assessment].add(
            {
                "client_id": client_id,
                "specialist_id": specialist_id,
                "assessed_on": assessed_on,
                "notes": "",
                "created_at": at,
                "updated_at": at,
                "lock_version": 1,
            },
            by=specialist_id,
        )
        for key, values in sections.items():
            self.t[SECTION_TABLES[key]].add(
                {"assessment_id": assessment_id, **_section_values(key, values)},
                by=specialist_id,
                at=at,
            )
        for region, score in pain:
            self.t[PainReport].add(
                {"assessment_id": assessment_id, "region": region, "score": score, "during": ""},
                by=specialist_id,
                at=at,
            )
        return assessment_id

    def _program(self, client_id, specialist_id, portal_id, assessment_id, assessed_on, draft):
        rng = self.rng
        starts = assessed_on + timedelta(days=1)
        published_at = _at(starts, 17)
        program_id = self.t[Program].add(
            {"client_id": client_id, "created_by_id": specialist_id, "created_at": published_at},
            by=specialist_id,
        )
        version_id = self.t[ProgramVersion].add(
            {
                "program_id": program_id,
                "number": 1,
                "status": "published",
                "assessment_id": assessment_id,
                "ruleset_id": self.ruleset_version.pk,
                "population": draft["population"],
                "draft": draft,
                "notes": "",
                "starts_on": starts,
                "retest_on": starts + timedelta(weeks=draft["retest_weeks"]),
                "created_at": published_at,
                "created_by_id": specialist_id,
                "published_at": published_at,
                "published_by_id": specialist_id,
                "lock_version": 2,
                "pdf_sha256": "",
            },
            by=specialist_id,
        )
        self.pdf_groups.setdefault(draft["population"], []).append(version_id)
        for position, phase in enumerate(draft["phases"]):
            phase_id = self.t[Phase].add(
                {
                    "version_id": version_id,
                    "key": phase["key"],
                    "title": phase["title"],
                    "position": position,
                    "weeks": phase["weeks"],
                    "sessions_per_week": phase["sessions_per_week"],
                    "covers": phase.get("covers", []),
                    "criteria": phase.get("progression", ""),
                    "note": phase.get("note") or "",
                },
                by=specialist_id,
                at=published_at,
            )
            for index, item in enumerate(phase["exercises"]):
                exercise = self.exercises[item["slug"]]
                self.t[ProgramExercise].add(
                    {
                        "phase_id": phase_id,
                        "exercise_id": exercise.pk,
                        "name": exercise.name,
                        "cues": exercise.data.get("cues", []),
                        "equipment": exercise.data.get("equipment", []),
                        "tags": exercise.data.get("tags", []),
                        "position": index,
                        "sets": item.get("sets"),
                        "reps": item.get("reps"),
                        "hold_s": item.get("hold_s"),
                        "tempo": item.get("tempo") or "",
                        "notes": "",
                        "rules": item.get("rules", []),
                        "findings": item.get("findings", []),
                        "why": item.get("why", ""),
                        "override_reason": "",
                    },
                    by=specialist_id,
                    at=published_at,
                )
        for n in range(rng.randint(0, 3)):
            self.t[Download].add(
                {
                    "version_id": version_id,
                    "at": published_at + timedelta(days=n * 3, minutes=5),
                    "channel": "portal" if n else "specialist",
                    "user_id": portal_id if n else specialist_id,
                    "link_id": None,
                }
            )
        if self.session_log is not None:
            day = starts
            while day < self.today and day < starts + timedelta(weeks=6):
                if rng.random() < 0.5:
                    self.t[self.session_log].add(
                        {
                            "version_id": version_id,
                            "done_on": day,
                            "pain": rng.choice((0, 0, 0, 1, 2, 3, 6)),
                            "note": "",
                            "created_at": _at(day, 19),
                        },
                        by=portal_id,
                    )
                day += timedelta(days=2)

    def _freeze_pdfs(self) -> None:
        """Render one plan per population for real and freeze it on that population's bulk plans."""
        from programs.sharing import render_version

        with connection.cursor() as cursor:
            for ids in self.pdf_groups.values():
                pdf = render_version(ProgramVersion.objects.get(pk=ids[0]))
                sha = hashlib.sha256(pdf).hexdigest()
                blob = pdf if connection.vendor == "postgresql" else memoryview(pdf)
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.executemany(
                        "INSERT INTO programs_frozenplan (version_id, pdf) VALUES (%s, %s)",
                        [(pk, blob) for pk in chunk],
                    )
                    cursor.execute(
                        "UPDATE programs_programversion SET pdf_sha256 = %s "  # noqa: S608
                        f"WHERE id IN ({marks})",
                        [sha, *chunk],
                    )
                    cursor.execute(
                        "UPDATE programs_historicalprogramversion SET pdf_sha256 = %s "  # noqa: S608
                        f"WHERE id IN ({marks})",
                        [sha, *chunk],
                    )

    def _showcase(self, practice: Practice, owner: User) -> None:
        """A postpartum client with many assessments and a published three-phase plan of 18+
        exercises (findings, progress charts, body map), made through the app's services: the
        heaviest realistic pages (a referral cleared by a physician, exercises excluded by a
        safety rule, every section recorded)."""
        size, today = self.size, self.today
        email = f"elena.{size.key}@example.net".lower()
        portal = User.objects.create(username=email, email=email, first_name="Elena")
        portal.set_unusable_password()
        portal.save()
        weeks = max(8, size.showcase_assessments + 4)
        client = Client.objects.create(
            practice=practice,
            specialist=owner,
            user=portal,
            first_name=SHOWCASE_FIRST_NAME,
            last_name=SHOWCASE_LAST_NAME,
            birth_date=add_years(today, -33),
            sex="female",
            email=email,
            goals="Rebuild core strength after her second baby and return to running.",
            delivery_date=today - timedelta(weeks=weeks),
            delivery_type="vaginal",
            previous_births=1,
        )
        first = today - timedelta(weeks=weeks - 2)
        Screening.objects.create(client=client, screened_on=first, recorded_by=owner)
        Consent.objects.create(
            client=client, consented_on=first, agreed="Assessments and program design."
        )
        span = max(1, (today - first).days - 1)
        step = span / max(1, size.showcase_assessments - 1)
        latest = None
        for n in range(size.showcase_assessments):
            latest = Assessment.objects.create(
                client=client,
                specialist=owner,
                assessed_on=first + timedelta(days=round(n * step)),
            )
            # A diastasis that narrows but stays wide (its safety rule excludes loaded
            # flexion); the latest session reports leakage, a referral, cleared below.
            ird = 3.6 - n * 0.05
            Postpartum.objects.create(
                assessment=latest,
                ird_above_umbilicus_cm=round(ird * 0.8, 1),
                ird_umbilicus_cm=round(ird, 1),
                ird_below_umbilicus_cm=round(ird * 0.6, 1),
                doming=True,
                leakage=n == size.showcase_assessments - 1,
                heaviness=False,
                pelvic_pain=False,
            )
            PelvicTilt.objects.create(
                assessment=latest,
                pelvic_tilt_left_deg=16 - n * 0.2,
                pelvic_tilt_right_deg=15 - n * 0.2,
            )
            StaticPosture.objects.create(
                assessment=latest, observations=[_posture("anterior_pelvic_tilt")]
            )
        version = services.generate_program(latest, by=owner)
        _fill(version, size.showcase_exercises)
        if not services.publish_check(version).allowed:
            Clearance.objects.create(
                client=client, cleared_on=today, cleared_by="Dr. R. Okoye, GP", recorded_by=owner
            )
        services.publish(version, by=owner)
        for _ in range(3):
            Download.objects.create(version=version, channel="portal", user=portal)


def _fill(version: ProgramVersion, target: int) -> None:
    """Add library exercises (suited to the population, none a safety rule excludes) to the
    draft's phases in turn until the plan holds ``target`` exercises, as a specialist would."""
    phases = list(version.phases.all())
    total = sum(phase.items.count() for phase in phases)
    blocked = services.excluded_tags(version)
    for phase in phases * target:
        if total >= target:
            return
        steps = phase.covers or [phase.key]
        taken = set(phase.items.values_list("exercise__slug", flat=True))
        candidate = next(
            (
                e
                for e in Exercise.objects.filter(in_library=True, phase__in=steps).order_by("slug")
                if version.population in e.data.get("populations", [])
                and e.slug not in taken
                and not any(tag in blocked for tag in e.tags)
            ),
            None,
        )
        if candidate is not None:
            services.add_exercise(version, phase, candidate)
            total += 1


class _Sum:
    def __init__(self, tables):
        self.count = sum(t.count for t in tables)


def _session_log_model():
    """The portal's home-session log, when this checkout has it (seeded for the dashboard)."""
    try:
        model = apps.get_model("programs", "SessionLog")
    except LookupError:
        return None
    names = {f.attname for f in model._meta.concrete_fields}
    return model if {"version_id", "done_on", "pain"} <= names else None
