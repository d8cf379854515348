"""The client page's programs and adherence, shown without the clients app importing programs."""

from django import template
from django.utils import timezone

from programs.adherence import needs_attention, weeks
from programs.models import ProgramVersion

register = template.Library()


@register.inclusion_tag("programs/_client_programs.html")
def client_programs(client):
    versions = list(
        ProgramVersion.objects.filter(program__client=client)
        .select_related("assessment")
        .prefetch_related("sessions")
        .order_by("-program__created_at", "-number")
    )
    current = next((v for v in versions if v.is_published), None)
    adherence, attention, recent = [], [], []
    if current is not None:
        today = timezone.localdate()
        logged = [(s.done_on, s.pain) for s in current.sessions.all()]
        sessions_per_week = max(
            (phase["sessions_per_week"] for phase in current.draft.get("phases", [])), default=3
        )
        adherence = weeks(current.starts_on, sessions_per_week, logged, on=today)[-8:]
        attention = needs_attention(current.published_at.date(), logged, on=today)
        recent = list(current.sessions.all())[:5]
    return {
        "client": client,
        "versions": versions,
        "current": current,
        "adherence": adherence,
        "attention": attention,
        "recent_sessions": recent,
    }
