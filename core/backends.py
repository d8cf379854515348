"""The sign-in backend: Django's, with the name matched in any letter case, and loading what
every page asks of the user in one query."""

from django.contrib.auth.backends import ModelBackend

from clients.models import User


def typed_name(request, credentials) -> str | None:
    """The sign-in name as django-axes counts failures: trimmed and lower-cased, so that
    "Ana@Example.org" and "ana@example.org" share one count (AXES_USERNAME_CALLABLE)."""
    data = credentials if credentials is not None else getattr(request, "POST", {})
    name = data.get("username")
    return name.strip().lower() if isinstance(name, str) else name


def stored_name(typed: str | None) -> str | None:
    """The account name that ``typed`` stands for: the account whose name it is in any
    letter case (an email typed with capitals, or a trailing space from a phone keyboard).
    Two accounts differing only in case (possible through createsuperuser) match exactly
    or not at all."""
    if not isinstance(typed, str):
        return typed
    typed = typed.strip()
    names = list(
        User._default_manager.filter(username__iexact=typed).values_list("username", flat=True)[:2]
    )
    if typed in names or len(names) != 1:
        return typed
    return names[0]


class RealignBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(
            request, username=stored_name(username), password=password, **kwargs
        )

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
