"""The API's callers: a script with a personal token, and the browser's session."""

import pytest
from django.test import Client as HttpClient

from api import tokens


@pytest.fixture
def token(specialist_user):
    """A personal token of the specialist (the text, as shown once)."""
    _, text = tokens.create_token(specialist_user, name="booking sync")
    return text


@pytest.fixture
def api(token):
    """A client that calls the API with the specialist's token, as a script does."""
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}")
