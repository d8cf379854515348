from django.urls import path

from reminders import views as reminders

app_name = "reminders"
urlpatterns = [
    path("reminders/stop/<str:token>/", reminders.unsubscribe, name="unsubscribe"),
]
