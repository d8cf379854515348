"""Errors say nothing inside; denials are logged with user id and path only."""

import logging

import pytest
from django.test import Client as Browser
from django.urls import reverse

from tests.conftest import _watch
from tests.factories import PHI_SENTINEL


@pytest.mark.urls("tests.security.urls_boom")
def test_a_server_error_shows_a_generic_page(db, settings):
    settings.DEBUG = False
    response = Browser(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    assert "SELECT" not in response.text


def test_a_denied_object_is_logged_with_user_id_and_path_only(
    as_user, colleague, client_record, caplog
):
    with caplog.at_level(logging.WARNING, logger="realign.access"):
        as_user(colleague).get(reverse("clients:detail", args=[client_record.pk]))
    messages = [r.getMessage() for r in caplog.records if r.name == "realign.access"]
    assert messages == [
        f"not found or not in scope (404): user={colleague.pk} "
        f"path={reverse('clients:detail', args=[client_record.pk])}"
    ]
    assert client_record.last_name not in messages[0]


def test_a_denied_page_is_logged(as_user, staff, caplog):
    with caplog.at_level(logging.WARNING, logger="realign.access"):
        as_user(staff).get(reverse("clients:list"))
    assert any(f"user={staff.pk}" in r.getMessage() for r in caplog.records)


def test_the_log_watch_sees_client_data_in_a_real_log_record():
    before = len(_watch.hits)
    logging.getLogger("realign.test").warning("client %s arrived", f"Ana {PHI_SENTINEL}3")
    assert len(_watch.hits) == before + 1
    del _watch.hits[before:]
