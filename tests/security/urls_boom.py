"""A URL that fails, to see what a visitor gets when the server breaks (DEBUG off)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def boom(request):
    raise RuntimeError("secret detail SELECT * FROM clients_client")


urlpatterns = [path("boom/", boom)]
