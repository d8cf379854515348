"""Client pages: /clients/ and /clients/<pk>/… (assessments under a client are in assessments/)."""

from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("clients/", views.client_list, name="list"),
    path("clients/new/", views.client_create, name="create"),
    path("clients/<int:pk>/", views.client_detail, name="detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="edit"),
    path(
        "clients/<int:pk>/screening/", views.record_create, {"kind": "screening"}, name="screening"
    ),
    path(
        "clients/<int:pk>/clearance/", views.record_create, {"kind": "clearance"}, name="clearance"
    ),
    path("clients/<int:pk>/consent/", views.record_create, {"kind": "consent"}, name="consent"),
    path("clients/<int:pk>/invite/", views.client_invite, name="invite"),
    path("clients/<int:pk>/reassign/", views.client_reassign, name="reassign"),
    path("clients/<int:pk>/archive/", views.client_archive, name="archive"),
    path("clients/<int:pk>/restore/", views.client_restore, name="restore"),
    path("clients/<int:pk>/erase/", views.client_erase, name="erase"),
    path("clients/<int:pk>/history/", views.client_history, name="history"),
    path("clients/<int:pk>/export.zip", views.client_export, name="export"),
]
