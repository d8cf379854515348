from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("clients/<int:client_pk>/assessments/new/", views.assessment_create, name="create"),
    path("clients/<int:client_pk>/assessments/compare/", views.assessment_compare, name="compare"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="edit"),
    path("assessments/<int:pk>/history/", views.assessment_history, name="history"),
    path("assessments/<int:pk>/record/", views.assessment_record, name="record"),
    path("assessments/<int:pk>/sections/<slug:key>/", views.section_save, name="section"),
]
