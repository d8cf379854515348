from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("assessments/<int:assessment_pk>/program/", views.generate, name="generate"),
    path("library/", views.library, name="library"),
    path("programs/<int:pk>/", views.version_detail, name="version"),
    path("programs/<int:pk>/publish/", views.publish, name="publish"),
    path("programs/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("programs/<int:pk>/rerun/", views.rerun, name="rerun"),
    path("programs/<int:pk>/redraft/", views.redraft, name="redraft"),
    path("programs/<int:pk>/plan.pdf", views.download, name="download"),
    path("programs/<int:pk>/report.pdf", views.report, name="report"),
    path("programs/<int:pk>/referral.pdf", views.referral_letter, name="referral_letter"),
    path("programs/<int:pk>/history/", views.program_history, name="history"),
    path("programs/<int:pk>/pain/acknowledge/", views.acknowledge_pain, name="acknowledge_pain"),
    path("programs/<int:pk>/links/", views.share_create, name="share_create"),
    path("programs/<int:pk>/links/<int:link_pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("programs/<int:pk>/phases/<int:phase_pk>/add/", views.item_add, name="item_add"),
    path("program-items/<int:pk>/", views.item_edit, name="item_edit"),
    path("program-items/<int:pk>/move/", views.item_move, name="item_move"),
    path("program-items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("program-items/<int:pk>/swap/<slug:to>/", views.item_swap, name="item_swap"),
    path("sources/", views.sources, name="sources"),
]
