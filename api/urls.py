"""/api/v1/: the resources, the OpenAPI schema and its documentation page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from assessments.sections import SECTIONS

from .assessments import AssessmentViewSet, FindingsView, SuggestView, section_view
from .clients import ClientViewSet
from .programs import ItemViewSet, ProgramViewSet, VersionViewSet

app_name = "api"

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("programs", ProgramViewSet, basename="program")
router.register("versions", VersionViewSet, basename="version")
router.register("items", ItemViewSet, basename="item")

# Each section has its own path, so that the schema describes each one's fields.
sections = [
    path(
        f"v1/assessments/<int:pk>/sections/{spec.key}/",
        section_view(spec.key),
        name=f"assessment-section-{spec.key}",
    )
    for spec in SECTIONS
]

urlpatterns = [
    path("v1/", include(router.urls)),
    *sections,
    path("v1/assessments/<int:pk>/findings/", FindingsView.as_view(), name="assessment-findings"),
    path("v1/assessments/<int:pk>/program/", SuggestView.as_view(), name="assessment-suggest"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

# A script has no session to sign in with: the API answers 401 or 403 itself (JSON), so
# the site's sign-in redirect (LoginRequiredMiddleware) stands aside for every API view.
for pattern in [*router.urls, *urlpatterns[1:]]:
    login_not_required(pattern.callback)
