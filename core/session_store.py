"""The session engine (settings.SESSION_ENGINE): Django's database sessions, saved with the
signed-in user's id in its own column (core.models.UserSession)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore


class SessionStore(DatabaseStore):
    """Django's database session store, writing ``UserSession.user_id`` on every save."""

    @classmethod
    def get_model_class(cls):
        # Looked up, not imported: core/models.py imports this module for the way back.
        return apps.get_model("core", "UserSession")

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = signed_in_user_id(data)
        return session

    async def acreate_model_instance(self, data):
        session = await super().acreate_model_instance(data)
        session.user_id = signed_in_user_id(data)
        return session


def signed_in_user_id(data: dict) -> int | None:
    """The id Django's sign-in stored in the session data, or None (signed out, or not an id)."""
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None
