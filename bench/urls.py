"""The project's URLs plus the two floors: ``/bench/bare/`` and ``/bench/base-page/``."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import handler403, handler404
from config.urls import urlpatterns as project_urls

__all__ = ["handler403", "handler404", "urlpatterns"]


def bare(request):
    """No database and no template: what every page costs before its own work."""
    return HttpResponse(b"ok", content_type="text/plain")


def base_page(request):
    """The base template as a page, the view itself making no query: every page's floor."""
    return render(request, "base.html", {"title": "Floor"})


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/base-page/", base_page, name="bench_base_page"),
    *project_urls,
]
