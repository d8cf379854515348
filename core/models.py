"""The session table, with the signed-in user's id in a column of its own.

Django's database sessions keep the user id inside the encoded data, so finding one user's
sessions would mean decoding every row; this column lets erasure delete them with one query.
"""

from __future__ import annotations

from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models

from .session_store import SessionStore


class UserSession(AbstractBaseSession):
    """A database session and the id of the user signed in with it (None before sign-in)."""

    # A plain column, as in Django's example of a custom session model: the session data
    # stays the record of who signed in, and the column only finds the rows again.
    user_id = models.BigIntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        return SessionStore
