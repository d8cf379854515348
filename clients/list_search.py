"""The client list's name search, kept in the session so that names never reach a URL.

A URL ends up in browser history, in the Referer of the next request and in every proxy's
access log (ASVS 14.2.1). The search form is posted; the words are stored in the session
under a short random key, and the list's URL carries that key only (``?search=<key>``),
so paging and the other filters keep working and two tabs can hold two searches.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse

SESSION_KEY = "client_list_searches"
KEPT = 20  # a session keeps its latest searches; an older key shows the list unsearched
MAX_LENGTH = 100
# The filters that may stay in the URL: none of them holds a name.
URL_FILTERS = ("population", "flag", "archived")


@dataclass(frozen=True)
class ListFilters:
    """What the client list is narrowed to: the search words and the URL's filters."""

    query: str = ""
    population: str = ""
    flag: str = ""
    archived: bool = False


def clean(text: str) -> str:
    """The search words as the list uses them (NUL is never part of a name, nor storable)."""
    return text.replace("\x00", "").strip()[:MAX_LENGTH]


def remember(session, text: str) -> str:
    """Store the search words in the session; return the key the list's URL carries."""
    searches = dict(session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(6)
    searches[key] = text
    for old in list(searches)[:-KEPT]:
        del searches[old]
    session[SESSION_KEY] = searches
    return key


def recall(session, key: str | None) -> str:
    """The search words stored under the key, or "" when there are none."""
    if not key:
        return ""
    return clean(str(session.get(SESSION_KEY, {}).get(key, "")))


def results_url(request) -> str:
    """Where a posted search form leads: the list, its filters and a key for the words."""
    params = QueryDict(mutable=True)
    for name in URL_FILTERS:
        value = request.POST.get(name, "")
        if value:
            params[name] = value
    text = clean(request.POST.get("q", ""))
    if text:
        params["search"] = remember(request.session, text)
    url = reverse("clients:list")
    return f"{url}?{params.urlencode()}" if params else url


def filters(request) -> ListFilters:
    """The list's filters from its URL, the search words recalled from the session."""
    return ListFilters(
        query=recall(request.session, request.GET.get("search")),
        population=request.GET.get("population", ""),
        flag=request.GET.get("flag", ""),
        archived=request.GET.get("archived") == "1",
    )


def filter_query(request) -> str:
    """The list's URL parameters but the page: the pager's links add their own."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
