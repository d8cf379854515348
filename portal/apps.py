from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The client's own pages: invitations' welcome, their plans, session logs, share links."""

    name = "portal"
