"""/api/v1/: the resources, the OpenAPI schema and its documentation page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .clients import ClientViewSet

app_name = "api"

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

# A script has no session to sign in with: the API answers 401 or 403 itself (JSON), so
# the site's sign-in redirect (LoginRequiredMiddleware) stands aside for every API view.
for pattern in [*router.urls, *urlpatterns[1:]]:
    login_not_required(pattern.callback)
