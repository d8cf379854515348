from django.urls import path

from portal import views as portal

app_name = "portal"
urlpatterns = [
    path("my-plans/", portal.home, name="home"),
    path("my-plans/reminders/", portal.reminders, name="reminders"),
    path("my-plans/<int:pk>/", portal.plan, name="plan"),
    path("my-plans/<int:pk>/download/", portal.download, name="download"),
    path("my-plans/<int:pk>/sessions/", portal.log_session, name="log_session"),
    path("welcome/<uidb64>/<token>/", portal.SetPasswordView.as_view(), name="set_password"),
    path("welcome/done/", portal.PasswordSetView.as_view(), name="password_set"),
    path("p/<str:token>/", portal.shared_plan, name="shared_plan"),
    path("p/<str:token>/plan.pdf", portal.shared_plan_download, name="shared_plan_download"),
]
