from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from core.logos import limit_image_decoding

        from .photo_intake import MAX_PHOTO_PIXELS

        limit_image_decoding(MAX_PHOTO_PIXELS)
