"""Steps page tests take in the browser: the client logs a session; the specialist acknowledges
its pain or shares the plan."""

import re

from django.urls import reverse
from django.utils import timezone


def log(portal, version, pain, note="Rows were hard", *, red_flag=False):
    """The client logs today's session on the plan, with a pain rating (None: none), a
    note and, when ``red_flag``, the warning sign ticked."""
    today = timezone.localdate()
    data = {
        f"v{version.pk}-done_on": today.isoformat(),
        f"v{version.pk}-pain": "" if pain is None else str(pain),
        f"v{version.pk}-note": note,
    }
    if red_flag:
        data[f"v{version.pk}-red_flag"] = "on"
    return portal.post(reverse("portal:log_session", args=[version.pk]), data)


def acknowledge(client, version, note):
    """The specialist acknowledges the plan's pain rating with a note of what they did."""
    return client.post(
        reverse("programs:acknowledge_pain", args=[version.pk]), {f"ack{version.pk}-note": note}
    )


def share(as_user, specialist_user, version, days=30):
    """The specialist makes a share link; its path as the page shows it."""
    response = as_user(specialist_user).post(
        reverse("programs:share_create", args=[version.pk]), {"days": days}
    )
    return re.search(r'value="https?://testserver(/p/[^"]+)"', response.text).group(1)
