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
    path("assessments/<int:pk>/photos/", views.assessment_photos, name="photos"),
    path("assessments/photos/<int:pk>/", views.photo_landmarks, name="photo"),
    path("assessments/photos/<int:pk>/use-cva/", views.photo_use_cva, name="photo_use_cva"),
    path("assessments/photos/<int:pk>/suggest/", views.photo_suggest, name="photo_suggest"),
    path("assessments/photos/<int:pk>/image.jpg", views.photo_image, name="photo_image"),
    path(
        "assessments/photos/<int:pk>/thumbnail.jpg",
        views.photo_thumbnail,
        name="photo_thumbnail",
    ),
    path("assessments/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
]
