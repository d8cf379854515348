"""No browser or proxy keeps a copy of what the app answers: pages and files carry health data.

Every response that goes through Django's views (pages, PDFs, exports, the portal and the
bearer share links, error pages, redirects) says ``Cache-Control: private, no-store``.
Static files are served before this middleware (WhiteNoise) and keep their long caching.
"""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Marks each response private and not to be stored (HIPAA 164.312(a); ASVS 14.3.2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
