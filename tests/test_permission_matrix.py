"""Every URL × every persona × GET and POST answers the expected status, and leaks nothing.

Security target check 1 (ASVS 8.2.1, 8.2.2, 8.4.1) with ASVS 3.5.3 (no state change on GET).
A URL name the matrix does not list fails `test_every_url_is_in_the_matrix`, so a new view
cannot be added without deciding who may reach it. Objects outside a user's scope answer 404;
a missing role answers 403; POST-only views answer 405 to GET once past the sign-in.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from assessments.sections import SECTIONS
from clients.models import ScopedQuerySet
from programs.views import PUBLISH_CONFIRMATION
from tests.matrix_objects import (
    ANA_EMAIL,
    ANA_NAME,
    PERSONAS,
    build_world,
    changes,
    matrix_routes,
    snapshot,
    url_for,
)

LOGIN = "login"  # 302 to settings.LOGIN_URL?next=… (LoginRequiredMiddleware runs first)


class W(int):
    """The status of an allowed request that changes state; every other cell must change none."""

    def __repr__(self) -> str:
        return f"W({int(self)})"


def row(anonymous, client, other_client, outsider, colleague, specialist, owner, staff):
    return dict(zip(PERSONAS, (anonymous, client, other_client, outsider, colleague,
                               specialist, owner, staff), strict=True))  # fmt: skip


NOT_ALLOWED = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)
# The API decides who calls before the method: 401 without a token or session, 403 for
# anyone but a practice member, then 405.
API_NOT_ALLOWED = row(401, 403, 403, 405, 405, 405, 405, 403)

# fmt: off
# Columns:                anonymous client other_client outsider colleague specialist owner staff
EXPECTED: dict[str, dict[str, dict]] = {
    # --- The REST API (/api/v1/), called here with the browser's session; a script's
    # token reaches the same views (tests/api/). No session: 401 in JSON, never the sign-in
    # redirect; signed in but not a practice member: 403; another's client: 404.
    "api:client-list": {  # the persona's own clients (the outsider's and colleague's: none of Ana)
        "GET":  row(401, 403, 403, 200, 200, 200, 200, 403),
        "POST": row(401, 403, 403, 400, 400, 400, 400, 403),  # an empty client is refused
    },
    "api:client-detail": {  # an empty PUT lacks the names; an empty PATCH saves it again
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,  # PUT or PATCH, not POST
        "PUT":  row(401, 403, 403, 404, 404, 400, 400, 403),
        "PATCH": row(401, 403, 403, 404, 404, W(200), W(200), 403),
    },
    "api:client-archive": {
        "GET":  row(401, 403, 403, 405, 405, 405, 405, 403),
        "POST": row(401, 403, 403, 404, 404, W(200), W(200), 403),
    },
    "api:client-screenings": {  # an empty screening is refused: every question needs an answer
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(401, 403, 403, 404, 404, 400, 400, 403),
    },
    "api:client-clearances": {
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(401, 403, 403, 404, 404, 400, 400, 403),
    },
    "api:client-consents": {  # an empty consent is refused: it needs its date and text
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(401, 403, 403, 404, 404, 400, 400, 403),
    },
    "api:client-assessments": {  # an empty assessment is refused: it needs its date
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(401, 403, 403, 404, 404, 400, 400, 403),
    },
    "api:client-sessions": {  # the adherence log: read-only (the client logs in the portal)
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:assessment-detail": {  # PUT and PATCH: the date and notes (WRITE_DATA)
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
        "PUT":  row(401, 403, 403, 404, 404, W(200), W(200), 403),
        "PATCH": row(401, 403, 403, 404, 404, W(200), W(200), 403),
    },
    # Each section: an empty PUT records it as measured-nothing (the assessment's version
    # moves on), an empty PATCH saves it as it is (the version moves on too).
    **{
        f"api:assessment-section-{spec.key}": {
            "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
            "POST": API_NOT_ALLOWED,
            "PUT":  row(401, 403, 403, 404, 404, W(200), W(200), 403),
            "PATCH": row(401, 403, 403, 404, 404, W(200), W(200), 403),
        }
        for spec in SECTIONS
    },
    "api:assessment-findings": {
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:assessment-suggest": {  # a new program with its draft
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, W(201), W(201), 403),
    },
    "api:program-list": {  # the persona's own programs (none of Ana's for others)
        "GET":  row(401, 403, 403, 200, 200, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:program-detail": {
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:version-detail": {
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:version-publish": {  # the draft (no referral): published
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, W(200), W(200), 403),
    },
    "api:version-new-version": {  # the draft exists already: it is returned, not copied again
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, 200, 200, 403),
    },
    "api:version-items": {  # an empty addition is refused: it needs a phase and an exercise
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, 400, 400, 403),
    },
    "api:version-acknowledge-pain": {  # an empty answer is refused: it needs the note
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, 400, 400, 403),
    },
    "api:version-plan": {  # each download is logged
        "GET":  row(401, 403, 403, 404, 404, W(200), W(200), 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:version-report": {  # drawn on demand from the record: nothing is written
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
    },
    "api:item-detail": {  # an exercise of the draft: its dose, its removal
        "GET":  row(401, 403, 403, 404, 404, 200, 200, 403),
        "POST": API_NOT_ALLOWED,
        "PUT":  row(401, 403, 403, 404, 404, W(200), W(200), 403),
        "PATCH": row(401, 403, 403, 404, 404, W(200), W(200), 403),
        "DELETE": row(401, 403, 403, 404, 404, W(204), W(204), 403),
    },
    "api:item-move": {
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, W(200), W(200), 403),
    },
    "api:item-swap": {  # for its progression (WRITE_DATA)
        "GET":  API_NOT_ALLOWED,
        "POST": row(401, 403, 403, 404, 404, W(200), W(200), 403),
    },
    "api:schema": {  # the OpenAPI description: public, holds no record
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(405, 405, 405, 405, 405, 405, 405, 405),
    },
    "api:docs": {  # the schema's documentation page (Swagger UI from the project's files)
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(405, 405, 405, 405, 405, 405, 405, 405),
    },
    "home": {
        "GET":  row(LOGIN, 302, 302, 302, 302, 302, 302, 302),
        "POST": row(LOGIN, 302, 302, 302, 302, 302, 302, 302),
    },
    # Practice-wide pages: each specialist sees their own scope (Ana must not appear).
    "dashboard": {
        "GET":  row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
    },
    "clients:list": {  # the search form posts, then shows the results by GET
        "GET":  row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 302, 302, 302, 302, 403),
    },
    "clients:create": {
        "GET":  row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 200, 200, 200, 200, 403),  # empty form: invalid
    },
    # Owner only; the outsider owns their own practice, not Ana's.
    "core:practice": {
        "GET":  row(LOGIN, 403, 403, 200, 403, 403, 200, 403),
        "POST": row(LOGIN, 403, 403, 200, 403, 403, 200, 403),
    },
    # The practice's members, run by its owner; the member and invitation are of Ana's
    # practice, so the outsider (another practice's owner) gets 404.
    "core:member_invite": {  # the empty POST invites nobody
        "GET":  row(LOGIN, 403, 403, 200, 403, 403, 200, 403),
        "POST": row(LOGIN, 403, 403, 200, 403, 403, 200, 403),
    },
    "core:member_invitation_send": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 403, 403, W(302), 403),
    },
    "core:member_role": {  # the empty POST chooses no role
        "GET":  row(LOGIN, 403, 403, 404, 403, 403, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 403, 403, 200, 403),
    },
    "core:member_deactivate": {  # the colleague has a client: the empty POST is refused
        "GET":  row(LOGIN, 403, 403, 404, 403, 403, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 403, 403, 200, 403),
    },
    # The user's own account: anyone signed in.
    "core:two_factor_setup": {  # specialists only; nothing is stored until a code is right
        "GET":  row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
    },
    "core:two_factor_verify": {  # no confirmed device: back home
        "GET":  row(LOGIN, 302, 302, 302, 302, 302, 302, 302),
        "POST": row(LOGIN, 302, 302, 302, 302, 302, 302, 302),
    },
    "core:two_factor_disable": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 302, 302, 302, 302, 302, 302, 302),
    },
    # The member's own API tokens; the one in the URL is the specialist's: nobody else's.
    "core:api_tokens": {  # the empty POST names no token: refused at the field
        "GET":  row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 400, 400, 400, 400, 403),
    },
    "core:api_token_revoke": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), 404, 403),
    },
    # Ana's record: scope first (404), then role (403).
    "clients:detail": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:edit": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:screening": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:clearance": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:consent": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:reassign": {  # owner only, but the colleague cannot even see Ana: 404
        "GET":  row(LOGIN, 403, 403, 404, 404, 403, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 403, 200, 403),
    },
    "clients:archive": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "clients:restore": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "clients:history": {  # the audit history of the record
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:export": {  # the whole record as a zip (GDPR Art. 15/20)
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "clients:erase": {  # GET shows the confirmation form; the empty POST does not confirm
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:create": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:compare": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:detail": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:edit": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:history": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:record": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "assessments:section": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    # Posture photos: Ana's, through the assessment's door (404 outside scope).
    "assessments:photos": {  # the empty POST has no photo: refused at the field
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 400, 400, 403),
    },
    "assessments:photo": {  # the landmark page; POST_DATA places two landmarks
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "assessments:photo_use_cva": {  # the photo's CVA fills the tech-neck measure
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "assessments:photo_suggest": {  # asks the pose model (it runs once the request commits)
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, 302, 302, 403),
    },
    "assessments:photo_image": {  # the photo itself, never stored by a browser or proxy
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": NOT_ALLOWED,
    },
    "assessments:photo_thumbnail": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": NOT_ALLOWED,
    },
    "assessments:photo_delete": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:generate": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:version": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "programs:publish": {  # GET: the confirmation step; only its POST (POST_DATA) publishes
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:new_version": {  # the draft exists already: it is returned, not copied again
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, 302, 302, 403),
    },
    "programs:rerun": {  # a read-only comparison
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "programs:redraft": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:download": {  # each download is logged
        "GET":  row(LOGIN, 403, 403, 404, 404, W(200), W(200), 403),
        "POST": NOT_ALLOWED,
    },
    "programs:report": {  # drawn on demand from the record: nothing is written
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": NOT_ALLOWED,
    },
    "programs:referral_letter": {  # Ana's plan needs no referral: no letter, for anyone
        "GET":  row(LOGIN, 403, 403, 404, 404, 404, 404, 403),
        "POST": NOT_ALLOWED,
    },
    "programs:history": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "programs:share_create": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(200), W(200), 403),
    },
    "programs:acknowledge_pain": {  # the empty POST has no note: refused at the field
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, 400, 400, 403),
    },
    "programs:share_revoke": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "clients:invite": {  # Ana has an account already: the email is sent again
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:item_add": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "programs:item_edit": {
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
    },
    "programs:item_move": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:item_remove": {
        "GET":  NOT_ALLOWED,
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    "programs:item_swap": {  # GET shows what the swap would do
        "GET":  row(LOGIN, 403, 403, 404, 404, 200, 200, 403),
        "POST": row(LOGIN, 403, 403, 404, 404, W(302), W(302), 403),
    },
    # The exercise library with illustrations: the same for every specialist (no client data).
    "programs:library": {
        "GET":  row(LOGIN, 403, 403, 200, 200, 200, 200, 403),
        "POST": NOT_ALLOWED,
    },
    # The bibliography: reference text, the same for anyone signed in.
    "programs:sources": {
        "GET":  row(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        "POST": NOT_ALLOWED,
    },
    # The portal: a client's own published plans; nobody else's, and not for specialists.
    "portal:home": {
        "GET":  row(LOGIN, 200, 200, 403, 403, 403, 403, 403),
        "POST": row(LOGIN, 200, 200, 403, 403, 403, 403, 403),
    },
    "portal:log_session": {  # a client logs a session of their own plan only
        "GET":  row(LOGIN, 405, 405, 405, 405, 405, 405, 405),
        "POST": row(LOGIN, 400, 404, 403, 403, 403, 403, 403),
    },
    "portal:plan": {  # the whole plan as a page: the client's own only
        "GET":  row(LOGIN, 200, 404, 403, 403, 403, 403, 403),
        "POST": NOT_ALLOWED,
    },
    "portal:download": {
        "GET":  row(LOGIN, W(200), 404, 403, 403, 403, 403, 403),
        "POST": NOT_ALLOWED,
    },
    "portal:reminders": {  # the client's own settings; the empty POST turns them off
        "GET":  row(LOGIN, 200, 200, 403, 403, 403, 403, 403),
        "POST": row(LOGIN, W(302), W(302), 403, 403, 403, 403, 403),
    },
    # Public pages.
    "portal:set_password": {  # a bad token: "no longer works", to anyone
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(200, 200, 200, 200, 200, 200, 200, 200),
    },
    "core:member_welcome": {  # a bad token: "no longer works", to anyone
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(200, 200, 200, 200, 200, 200, 200, 200),
    },
    "portal:password_set": {
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(405, 405, 405, 405, 405, 405, 405, 405),
    },
    "portal:shared_plan": {  # a bearer link: its page opens for anyone and records nothing
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(405, 405, 405, 405, 405, 405, 405, 405),
    },
    "portal:shared_plan_download": {  # the plan behind the link: each GET is a download
        "GET":  row(W(200), W(200), W(200), W(200), W(200), W(200), W(200), W(200)),
        "POST": row(405, 405, 405, 405, 405, 405, 405, 405),
    },
    # Ana's unsubscribe link (a signed token, no sign-in): GET asks, changing nothing (mail
    # scanners open links); POST turns her reminders off, whoever holds the link.
    "reminders:unsubscribe": {
        "GET":  row(200, 200, 200, 200, 200, 200, 200, 200),
        "POST": row(W(200), W(200), W(200), W(200), W(200), W(200), W(200), W(200)),
    },
}
# fmt: on

# Where a redirect must go, when it matters: (url name, persona) -> URL name.
REDIRECTS = {
    ("home", "client"): "portal:home",
    ("home", "other_client"): "portal:home",
    ("home", "outsider"): "dashboard",
    ("home", "colleague"): "dashboard",
    ("home", "specialist"): "dashboard",
    ("home", "owner"): "dashboard",
    ("home", "staff"): "admin:index",
}

# Text a 200 must contain: proof the page is the one we think it is.
CONTAINS = {
    "portal:set_password": "no longer works",
    "core:member_welcome": "no longer works",
    "reminders:unsubscribe": "reminders",
}

# The minimal body of a POST, where an empty one would not reach the interesting branch.
POST_DATA = {
    "programs:share_create": {"days": "7"},
    "programs:publish": dict([PUBLISH_CONFIRMATION]),
    "programs:item_move": {"direction": "up"},
    "assessments:photo": {"landmarks": '{"tragus": [42, 40], "c7": [60, 60]}'},
    "api:item-move": {"direction": "up"},
    "api:item-swap": {"to": "progression"},
}
# The body of the API's other writes, by (URL name, method); {} when not listed.
WRITE_DATA = {
    ("api:assessment-detail", "PUT"): {"assessed_on": "2026-11-20", "notes": "Matrix"},
    ("api:assessment-detail", "PATCH"): {"notes": "Matrix"},
    ("api:item-detail", "PATCH"): {"sets": 2},
}
API_WRITES = ("PUT", "PATCH", "DELETE")

# Who may see Ana's name or email in a response body (the share link is a bearer token).
ENTITLED = {"client", "specialist", "owner"}
BEARER_URLS = {"portal:shared_plan", "portal:shared_plan_download"}


def check_cell(world, name: str, persona: str, method: str) -> list[str]:
    """Run one cell of the matrix and describe every way it differs from EXPECTED.

    Each cell has its own browser (no cookie or message carries over) and runs in a savepoint
    that is rolled back, so an allowed POST (archive, publish…) leaves the world as it was.
    """
    mail.outbox = []
    with transaction.atomic():
        failures = _check_cell(world, name, persona, method)
        transaction.set_rollback(True)
    return failures


def _check_cell(world, name, persona, method):
    expected = EXPECTED[name][method][persona]
    http = Client(raise_request_exception=False)  # a 500 is a status like any other
    if world.users[persona] is not None:
        http.force_login(world.users[persona])
    url = url_for(name, world)
    before = snapshot()
    if method == "GET":
        response = http.get(url)
    elif method in API_WRITES:
        body = WRITE_DATA.get((name, method), {})
        response = http.generic(method, url, json.dumps(body), content_type="application/json")
    elif name.startswith("api:"):  # the API takes JSON
        response = http.post(url, POST_DATA.get(name, {}), content_type="application/json")
    else:
        response = http.post(url, POST_DATA.get(name, {}))
    after = snapshot()

    where = f"{method} {url} ({name}) as {persona}"
    failures = []
    want = 302 if expected == LOGIN else int(expected)
    if response.status_code != want:
        failures.append(f"{where}: expected {expected!r}, got {response.status_code}")
    elif expected == LOGIN:
        login = resolve_url(settings.LOGIN_URL) + "?next="
        if not response["Location"].startswith(login):
            failures.append(f"{where}: redirected to {response['Location']}, not {login}")
    elif (name, persona) in REDIRECTS:
        target = reverse(REDIRECTS[name, persona])
        if response["Location"] != target:
            failures.append(f"{where}: redirected to {response['Location']}, not {target}")
    if want == 200 and name in CONTAINS and CONTAINS[name] not in response.text:
        failures.append(f"{where}: the page does not say {CONTAINS[name]!r}")
    if response.status_code == 200 and "no-store" not in response.get("Cache-Control", ""):
        # Pages and files show client data: no browser or proxy may keep a copy (R-HD4).
        failures.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}, no no-store")
    changed = changes(before, after)
    if changed and not isinstance(expected, W):
        failures.append(f"{where}: changed {', '.join(changed)}")
    elif isinstance(expected, W) and want == response.status_code and not changed:
        failures.append(f"{where}: expected a change (W), nothing changed")
    if persona not in ENTITLED and name not in BEARER_URLS and not response.streaming:
        body = response.content.decode(errors="replace")
        leaked = [text for text in (ANA_NAME, ANA_EMAIL) if text in body]
        if leaked:
            failures.append(f"{where}: leaked {leaked}")
    return failures


def check_url(world, name: str) -> list[str]:
    """Every cell of one URL: each persona, GET then POST (then the API's other writes)."""
    return [
        failure
        for method in EXPECTED[name]
        for persona in PERSONAS
        for failure in check_cell(world, name, persona, method)
    ]


@pytest.fixture
def world(specialist_user, colleague, outsider, owner, staff, client_record):
    return build_world(
        specialist_user=specialist_user,
        colleague=colleague,
        outsider=outsider,
        owner=owner,
        staff=staff,
        client_record=client_record,
    )


# One world per URL (building one costs more than the 16 requests); each cell is independent.
@pytest.mark.parametrize("name", EXPECTED)
def test_matrix(world, name):
    assert check_url(world, name) == []


def test_every_url_is_in_the_matrix():
    routes = matrix_routes()
    unnamed = [r.route for r in routes if r.name is None]
    assert unnamed == [], "every URL needs a name to be listed in the matrix"
    names = {r.name for r in routes}
    assert sorted(names - EXPECTED.keys()) == [], "decide who may reach these URLs"
    assert sorted(EXPECTED.keys() - names) == [], "the matrix lists URLs that do not exist"


def test_every_cell_is_decided():
    writes = api_writes()
    for name, methods in EXPECTED.items():
        # An API URL that takes PUT, PATCH or DELETE lists those methods' cells too.
        assert set(methods) == {"GET", "POST", *writes.get(name, ())}, name
        for method, cells in methods.items():
            assert set(cells) == set(PERSONAS), (name, method)


def api_writes() -> dict[str, set[str]]:
    """The PUT, PATCH and DELETE each API URL name answers, from its view."""
    writes = {}
    for route in matrix_routes():
        if not route.name or not route.name.startswith("api:"):
            continue
        callback = route.callback
        # A viewset's URL answers the methods of its actions; any other view, its handlers.
        actions = getattr(callback, "actions", None)
        methods = (
            actions
            if actions is not None
            else {
                m for m in callback.view_class.http_method_names if hasattr(callback.view_class, m)
            }
        )
        found = {m.upper() for m in methods} & set(API_WRITES)
        if found:
            writes[route.name] = found
    return writes


# The Django admin: staff only, through its own sign-in page.
@pytest.mark.parametrize("persona", ["anonymous", "client", "specialist", "owner"])
def test_admin_sends_everyone_but_staff_to_the_admin_sign_in(client, world, persona):
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


def test_admin_opens_for_staff(client, world):
    client.force_login(world.users["staff"])
    assert client.get("/admin/").status_code == 200


# Django's own account pages: (name, args, method) -> (anonymous, signed-in specialist).
AUTH_PAGES = {
    ("login", (), "GET"): (200, 200),
    ("logout", (), "GET"): (LOGIN, 405),  # POST-only (Django 5.0), behind the sign-in
    ("logout", (), "POST"): (302, 302),
    ("password_reset", (), "GET"): (200, 200),
    ("password_reset_done", (), "GET"): (200, 200),
    ("password_reset_confirm", ("MQ", "bad-token"), "GET"): (200, 200),
    ("password_reset_complete", (), "GET"): (200, 200),
    ("password_change", (), "GET"): (LOGIN, 200),
    ("password_change_done", (), "GET"): (LOGIN, 200),
}


@pytest.mark.parametrize(("page", "anonymous", "signed_in"), [
    (page, *statuses) for page, statuses in AUTH_PAGES.items()
])  # fmt: skip
def test_django_account_pages(client, specialist_user, page, anonymous, signed_in):
    name, args, method = page
    url = reverse(name, args=args)
    for user, expected in ((None, anonymous), (specialist_user, signed_in)):
        if user is not None:
            client.force_login(user)
        response = client.generic(method, url)
        if expected == LOGIN:
            assert response.status_code == 302, (url, user)
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
        else:
            assert response.status_code == expected, (method, url, user)


# The negative control: the matrix notices a missing ownership check.
SCOPED_SAMPLE = [
    "clients:detail",
    "clients:edit",
    "assessments:detail",
    "assessments:compare",
    "programs:version",
    "programs:item_edit",
    "programs:rerun",
]


def test_the_matrix_catches_a_missing_scope_filter(world, monkeypatch):
    monkeypatch.setattr(ScopedQuerySet, "for_user", lambda self, user: self.all())
    failures = {
        (name, persona): check_cell(world, name, persona, "GET")
        for name in SCOPED_SAMPLE
        for persona in ("outsider", "colleague")
    }
    # Every out-of-scope specialist now reads Ana's records: each cell must report it.
    assert all(failures.values()), [cell for cell, found in failures.items() if not found]
    assert all("expected 404, got 200" in found[0] for found in failures.values())
    assert any("leaked ['Ana Silva'" in f for found in failures.values() for f in found)
    # And now writes them: the archive goes through, and the snapshot sees it.
    archive = check_cell(world, "clients:archive", "colleague", "POST")
    assert "expected 404, got 302" in archive[0]
    changed = [f.split(": changed ")[1].split(", ") for f in archive if ": changed " in f]
    assert ["clients.client" in tables for tables in changed] == [True], archive


def test_the_matrix_catches_a_page_that_may_be_stored(world, settings):
    no_store = "config.no_store.NoStoreMiddleware"
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != no_store]
    failures = check_cell(world, "clients:detail", "specialist", "GET")
    assert any("no no-store" in failure for failure in failures), failures
