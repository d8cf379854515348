from django.urls import path

from . import member_views, two_factor, views

app_name = "clients"
urlpatterns = [
    path("clients/", views.client_list, name="list"),
    path("practice/", views.practice_edit, name="practice"),
    path("practice/members/invite/", member_views.member_invite, name="member_invite"),
    path(
        "practice/invitations/<int:pk>/send/",
        member_views.member_invitation_send,
        name="member_invitation_send",
    ),
    path("practice/members/<int:pk>/role/", member_views.member_role, name="member_role"),
    path(
        "practice/members/<int:pk>/deactivate/",
        member_views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "welcome/member/<uidb64>/<token>/",
        member_views.MemberWelcomeView.as_view(),
        name="member_welcome",
    ),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("account/two-factor/disable/", two_factor.disable, name="two_factor_disable"),
    path("clients/new/", views.client_create, name="create"),
    path("clients/<int:pk>/", views.client_detail, name="detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="edit"),
    path("clients/<int:pk>/screening/", views.screening_create, name="screening"),
    path("clients/<int:pk>/clearance/", views.clearance_create, name="clearance"),
    path("clients/<int:pk>/consent/", views.consent_create, name="consent"),
    path("clients/<int:pk>/reassign/", views.client_reassign, name="reassign"),
    path("clients/<int:pk>/archive/", views.client_archive, name="archive"),
    path("clients/<int:pk>/restore/", views.client_restore, name="restore"),
    path("clients/<int:pk>/erase/", views.client_erase, name="erase"),
    path("clients/<int:pk>/history/", views.client_history, name="history"),
    path("clients/<int:pk>/export.zip", views.client_export, name="export"),
]
