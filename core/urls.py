"""Practice, members, two-factor and API token pages: /practice/, /welcome/member/, /account/."""

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("practice/", views.practice_edit, name="practice"),
    path("practice/members/invite/", views.member_invite, name="member_invite"),
    path(
        "practice/invitations/<int:pk>/send/",
        views.member_invitation_send,
        name="member_invitation_send",
    ),
    path("practice/members/<int:pk>/role/", views.member_role, name="member_role"),
    path(
        "practice/members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"
    ),
    path(
        "welcome/member/<uidb64>/<token>/",
        views.MemberWelcomeView.as_view(),
        name="member_welcome",
    ),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
