from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from django.db.models.signals import post_delete

        from core.logos import limit_image_decoding

        from .models import PosturePhoto
        from .photo_intake import MAX_PHOTO_PIXELS
        from .photos import remove_files_after_commit

        limit_image_decoding(MAX_PHOTO_PIXELS)
        post_delete.connect(remove_files_after_commit, sender=PosturePhoto)
