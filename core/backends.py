"""The sign-in backend: Django's, loading what every page asks of the user in one query."""

from django.contrib.auth.backends import ModelBackend

from clients.models import User


class RealignBackend(ModelBackend):
    def get_user(self, user_id):
        # Membership, practice and the client profile are read on every page (navigation,
        # scoping, two-factor rules): join them instead of three more queries.
        try:
            user = User._default_manager.select_related(
                "membership__practice", "client_profile"
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
