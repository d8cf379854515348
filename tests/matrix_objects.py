"""The world of the permission matrix: personas, Ana's records, every URL and a state snapshot.

Everything the specialist pages can reach belongs to Ana, a client of `specialist_user`. The
other personas are the columns of the matrix (security target check 1).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from unittest import mock

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from api import tokens
from assessments import photos
from assessments.models import TechNeck
from assessments.sections import SECTIONS
from clients.models import MemberInvitation
from programs import services, sharing
from reminders.access import unsubscribe_token
from reminders.models import ReminderSettings
from tests.factories import AssessmentFactory, ClientFactory, ConsentFactory, UserFactory

# The columns, in the order the expectation rows are written.
PERSONAS = (
    "anonymous",  # not signed in
    "client",  # Ana's own portal account
    "other_client",  # the portal account of a client of `colleague`
    "outsider",  # the owner of another practice
    "colleague",  # a specialist of the same practice, not Ana's
    "specialist",  # `specialist_user`, Ana's specialist
    "owner",  # the owner of Ana's practice
    "staff",  # Django admin, no practice membership
)

# Text that identifies Ana: it must never reach a persona without a right to her records.
ANA_NAME = "Ana Silva"
ANA_EMAIL = "ana@example.org"

# Django's own sign-in pages, tested on their own (test_permission_matrix.AUTH_PAGES).
AUTH_VIEW_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
STATIC_VIEWS = frozenset({"django.views.static.serve", "django.contrib.staticfiles.views.serve"})


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    namespace: str  # "" at the root
    route: str
    view: str  # dotted path of the view
    callback: object = field(default=None, compare=False)  # the view function itself


def _view_path(callback) -> str:
    view = getattr(callback, "view_class", callback)
    return f"{view.__module__}.{view.__qualname__}"


def walk(patterns=None, namespace: str = "", prefix: str = ""):
    """Every URL pattern of the project, with its full namespaced name, depth first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from walk(pattern.url_patterns, full, route)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(name, namespace, route, _view_path(pattern.callback), pattern.callback)


def matrix_routes() -> list[Route]:
    """The routes the matrix must decide on: all but the admin, Django auth and static files."""
    return [
        r
        for r in walk()
        if r.namespace.split(":")[0] != "admin"
        and not (r.name in AUTH_VIEW_NAMES and r.view.startswith("django.contrib.auth."))
        and r.view not in STATIC_VIEWS
    ]


_PDF: list[bytes] = []


RENDER_VERSION = sharing.render_version


def _render_once(version) -> bytes:
    """The plan PDF rendered for real once per run (0.2 s), then reused to build each world.

    Only the world's setup uses it: the PDF's content has no bearing on who may fetch it.
    """
    if not _PDF:
        _PDF.append(RENDER_VERSION(version))
    return _PDF[0]


@dataclass
class World:
    users: dict  # persona -> User (None for anonymous)
    ana: object  # clients.Client
    other_client: object
    assessment: object  # with a tech-neck section; the published program came from it
    published: object  # ProgramVersion 1, published, frozen PDF
    draft: object  # ProgramVersion 2, a draft copy of version 1
    phase: object  # a phase of the draft
    item: object  # an item of the draft
    swap_to: str  # "progression": `item` has one in the library
    link: object  # a live share link to the published version
    token: str  # its bearer token
    invitation: object  # a member invitation of Ana's practice, not sent
    photo: object  # a left side photo of `assessment`, tragus and C7 placed (CVA 45)
    api_token: object  # a personal API token of `specialist_user` (core:api_token_revoke)


def build_world(*, specialist_user, colleague, outsider, owner, staff, client_record) -> World:
    """Ana's records, from assessment to a published plan, a draft and a share link."""
    ana = client_record
    ana.first_name, ana.last_name, ana.email = "Ana", "Silva", ANA_EMAIL
    ana.user = UserFactory(username=ANA_EMAIL, email=ANA_EMAIL, first_name="Ana", last_name="Silva")
    ana.save()
    other_client = ClientFactory(
        specialist=colleague, first_name="Ben", last_name="Okafor", email="ben@example.org"
    )
    other_client.user = UserFactory(username="ben@example.org", email="ben@example.org")
    other_client.save()

    # Ana gets reminders, so that her unsubscribe link's POST really turns them off.
    ReminderSettings.objects.create(client=ana, wants_reminders=True, exercise_days="024")
    ConsentFactory(client=ana)
    today = timezone.localdate()
    # An earlier assessment, so the comparison page has two to compare.
    earlier = today - timedelta(days=30)
    AssessmentFactory(client=ana, specialist=specialist_user, assessed_on=earlier)
    assessment = AssessmentFactory(client=ana, specialist=specialist_user, assessed_on=today)
    TechNeck.objects.create(assessment=assessment, cva_deg=44)
    with mock.patch.object(sharing, "render_version", _render_once):
        published = services.publish(
            services.generate_program(assessment, by=specialist_user), by=specialist_user
        )
    draft = services.new_version(published, by=specialist_user)
    # An item that can move up and has a progression, so the allowed POSTs really act.
    item = next(
        item
        for phase in draft.phases.all()
        for index, item in enumerate(phase.items.select_related("exercise", "phase"))
        if index > 0 and item.exercise.data.get("progression")
    )
    link, token = sharing.create_share_link(published, by=specialist_user)
    photo = _side_photo(assessment, by=specialist_user)
    invitation = MemberInvitation.objects.create(
        practice=ana.practice,
        user=UserFactory(username="invitee@example.org", email="invitee@example.org"),
        invited_by=owner,
        status=MemberInvitation.Status.NOT_SENT,
    )
    users = {
        "anonymous": None,
        "client": ana.user,
        "other_client": other_client.user,
        "outsider": outsider,
        "colleague": colleague,
        "specialist": specialist_user,
        "owner": owner,
        "staff": staff,
    }
    return World(
        users=users,
        ana=ana,
        other_client=other_client,
        assessment=assessment,
        published=published,
        draft=draft,
        phase=item.phase,
        item=item,
        swap_to="progression",
        link=link,
        token=token,
        invitation=invitation,
        photo=photo,
        api_token=tokens.create_token(specialist_user, name="Matrix script")[0],
    )


def _side_photo(assessment, *, by):
    """A left side photo with the tragus and C7 placed, so each allowed POST really acts."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 180, 160)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("side.jpg", buffer.getvalue(), content_type="image/jpeg")
    photo = photos.add_photo(assessment, view="left", upload=upload, by=by)
    photos.save_landmarks(photo, {"tragus": [40, 40], "c7": [60, 60]}, by=by)
    return photo


def url_args(world: World) -> dict[str, list]:
    """The arguments each URL name is reversed with: always Ana's records."""
    w = world
    uid = urlsafe_base64_encode(force_bytes(w.ana.user.pk))
    return {
        "home": [],
        "dashboard": [],
        "clients:list": [],
        "programs:sources": [],
        "programs:library": [],
        "api:client-list": [],
        "api:client-detail": [w.ana.pk],
        "api:client-archive": [w.ana.pk],
        "api:client-screenings": [w.ana.pk],
        "api:client-clearances": [w.ana.pk],
        "api:client-consents": [w.ana.pk],
        "api:client-assessments": [w.ana.pk],
        "api:client-sessions": [w.ana.pk],
        "api:assessment-detail": [w.assessment.pk],
        **{f"api:assessment-section-{spec.key}": [w.assessment.pk] for spec in SECTIONS},
        "api:assessment-findings": [w.assessment.pk],
        "api:assessment-suggest": [w.assessment.pk],
        "api:program-list": [],
        "api:program-detail": [w.published.program_id],
        "api:version-detail": [w.published.pk],
        "api:version-publish": [w.draft.pk],
        "api:version-new-version": [w.published.pk],
        "api:version-items": [w.draft.pk],
        "api:version-acknowledge-pain": [w.published.pk],
        "api:version-plan": [w.published.pk],
        "api:version-report": [w.published.pk],
        "api:item-detail": [w.item.pk],
        "api:item-move": [w.item.pk],
        "api:item-swap": [w.item.pk],
        "api:schema": [],
        "api:docs": [],
        "core:practice": [],
        "core:member_invite": [],
        "core:member_invitation_send": [w.invitation.pk],
        # The colleague's membership: a specialist with a client (Ben).
        "core:member_role": [w.users["colleague"].membership.pk],
        "core:member_deactivate": [w.users["colleague"].membership.pk],
        "core:member_welcome": [
            urlsafe_base64_encode(force_bytes(w.invitation.user_id)),
            "bad-" + default_token_generator.make_token(w.invitation.user),
        ],
        "core:two_factor_setup": [],
        "core:two_factor_verify": [],
        "core:two_factor_disable": [],
        "core:api_tokens": [],
        "core:api_token_revoke": [w.api_token.pk],
        "clients:create": [],
        "clients:detail": [w.ana.pk],
        "clients:edit": [w.ana.pk],
        "clients:screening": [w.ana.pk],
        "clients:clearance": [w.ana.pk],
        "clients:consent": [w.ana.pk],
        "clients:reassign": [w.ana.pk],
        "clients:archive": [w.ana.pk],
        "clients:restore": [w.ana.pk],
        "clients:erase": [w.ana.pk],
        "clients:history": [w.ana.pk],
        "clients:export": [w.ana.pk],
        "assessments:create": [w.ana.pk],
        "assessments:compare": [w.ana.pk],
        "assessments:detail": [w.assessment.pk],
        "assessments:edit": [w.assessment.pk],
        "assessments:record": [w.assessment.pk],
        "assessments:history": [w.assessment.pk],
        "assessments:section": [w.assessment.pk, "tech_neck"],
        "assessments:photos": [w.assessment.pk],
        "assessments:photo": [w.photo.pk],
        "assessments:photo_use_cva": [w.photo.pk],
        "assessments:photo_suggest": [w.photo.pk],
        "assessments:photo_image": [w.photo.pk],
        "assessments:photo_thumbnail": [w.photo.pk],
        "assessments:photo_delete": [w.photo.pk],
        "programs:generate": [w.assessment.pk],
        "programs:version": [w.published.pk],
        "programs:publish": [w.draft.pk],
        "programs:new_version": [w.published.pk],
        "programs:rerun": [w.published.pk],
        "programs:redraft": [w.published.pk],
        "programs:download": [w.published.pk],
        "programs:report": [w.published.pk],
        "programs:referral_letter": [w.published.pk],
        "programs:history": [w.published.pk],
        "programs:share_create": [w.published.pk],
        "programs:share_revoke": [w.published.pk, w.link.pk],
        "programs:acknowledge_pain": [w.published.pk],
        "clients:invite": [w.ana.pk],
        "programs:item_add": [w.draft.pk, w.phase.pk],
        "programs:item_edit": [w.item.pk],
        "programs:item_move": [w.item.pk],
        "programs:item_remove": [w.item.pk],
        "programs:item_swap": [w.item.pk, w.swap_to],
        "portal:home": [],
        "portal:reminders": [],
        "reminders:unsubscribe": [unsubscribe_token(w.ana)],
        "portal:plan": [w.published.pk],
        "portal:download": [w.published.pk],
        "portal:log_session": [w.published.pk],
        # A token that never worked: the page must say so, to anyone.
        "portal:set_password": [uid, "bad-" + default_token_generator.make_token(w.ana.user)],
        "portal:password_set": [],
        "portal:shared_plan": [w.token],
        "portal:shared_plan_download": [w.token],
    }


def url_for(name: str, world: World) -> str:
    return reverse(name, args=url_args(world)[name])


# Reference data loaded by migrations: counted, not dumped (it is large and never edited here).
REFERENCE_MODELS = {
    "programs.exercise",
    "programs.historicalexercise",
    "programs.rulesetversion",
    "programs.rulerow",
}
SNAPSHOT_APPS = ("clients", "assessments", "programs", "reminders", "otp_totp", "api")


def snapshot() -> dict:
    """Every row of every table of the app's models (history included), plus the mail outbox.

    Raw SQL over each table: every column counts, and it is several times faster than the
    ORM, which matters at 16 snapshots per URL.
    """
    state = {"mail.outbox": len(mail.outbox)}
    with connection.cursor() as cursor:
        for app in SNAPSHOT_APPS:
            for model in apps.get_app_config(app).get_models():
                table = connection.ops.quote_name(model._meta.db_table)
                if model._meta.label_lower in REFERENCE_MODELS:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                else:
                    cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608
                state[model._meta.label_lower] = cursor.fetchall()
    return state


def changes(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ between two snapshots."""
    return [key for key in before if before[key] != after[key]]
