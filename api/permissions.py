"""Who may use the API: practice members (specialists and owners), as on the pages."""

from rest_framework.permissions import BasePermission


class PracticeMember(BasePermission):
    message = "Only practice members (specialists and owners) may use the API."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_specialist)
