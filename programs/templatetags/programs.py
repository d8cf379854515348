"""The client page's list of programs (the clients app shows it without importing programs)."""

from django import template

from programs.models import ProgramVersion

register = template.Library()


@register.inclusion_tag("programs/_client_programs.html")
def client_programs(client):
    versions = (
        ProgramVersion.objects.filter(program__client=client)
        .select_related("assessment")
        .order_by("-program__created_at", "-number")
    )
    return {"client": client, "versions": list(versions)}
