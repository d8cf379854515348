"""URL root: each app's URLs under its namespace, the admin and the account pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.forms import SignInForm
from core.password_reset import PasswordResetForm
from core.views import home
from programs.views import dashboard

urlpatterns = [
    path("", home, name="home"),
    path("dashboard/", dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    # Django's reset view with the form that takes links from SITE_URL (clients/site.py).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("core.urls")),
    path("", include("clients.urls")),
    path("", include("assessments.urls")),
    path("", include("programs.urls")),
    path("", include("portal.urls")),
    path("", include("reminders.urls")),
    path("api/", include("api.urls")),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
