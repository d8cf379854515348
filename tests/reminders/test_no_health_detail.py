"""No client health detail reaches any email: every kind of email is sent about a client
whose records are full of it, each marked with the PHI sentinel, and the sentinel appears
in no subject, no text and no HTML body (the client's address, the recipient, may hold it)."""

from datetime import timedelta

from django_ox.testing import run_tasks

from assessments.models import PainReport
from programs.models import SessionLog
from reminders import tasks
from tests.factories import (
    PHI_SENTINEL,
    AssessmentFactory,
    ClearanceFactory,
    ClientFactory,
    ConsentFactory,
    ScreeningFactory,
    SessionLogFactory,
)
from tests.reminders.reminding import MONDAY, plan, reminded_client, run_daily

HEALTH_WORDS = ("knee", "pain", "surgery", "dizzy", "diastasis")


def client_full_of_health_detail(specialist_user):
    """A client (the factory puts the sentinel in the last name, the address's local part
    and the notes) with screening, clearance, consent, findings and sessions marked too."""
    client = reminded_client(days="0123456", specialist=specialist_user)
    client.goals = f"Run again after knee surgery {PHI_SENTINEL}"
    client.save()
    ScreeningFactory(client=client, q1=True, notes=f"Dizzy on stairs {PHI_SENTINEL}")
    ClearanceFactory(client=client, note=f"Cleared for knee work {PHI_SENTINEL}")
    ConsentFactory(client=client, agreed=f"Assessments {PHI_SENTINEL}")
    assessment = AssessmentFactory(
        client=client, assessed_on=MONDAY - timedelta(days=30), notes=f"Diastasis {PHI_SENTINEL}"
    )
    PainReport.objects.create(
        assessment=assessment, region="knee", score=7, during=f"squat {PHI_SENTINEL}"
    )
    # Running today, its re-test due this week, published three weeks ago: every kind of
    # email is about this plan.
    version = plan(
        client,
        starts_on=MONDAY - timedelta(weeks=3),
        retest_on=MONDAY + timedelta(days=3),
    )
    version.notes = f"Watch the left knee {PHI_SENTINEL}"
    version.save()
    SessionLogFactory(
        version=version,
        done_on=MONDAY - timedelta(days=20),
        pain=8,
        note=f"Sharp knee pain {PHI_SENTINEL}",
    )
    return client


def test_no_email_of_any_kind_carries_health_detail(worker, specialist_user, mailoutbox):
    client = client_full_of_health_detail(specialist_user)
    quiet = ClientFactory(specialist=specialist_user, notes=f"Low back pain {PHI_SENTINEL}")
    plan(quiet, published_on=MONDAY - timedelta(weeks=3))

    run_daily(MONDAY)
    tasks.alert_specialist.enqueue(SessionLog.objects.get().pk)
    run_tasks()

    subjects = " | ".join(m.subject for m in mailoutbox)
    for kind in ("exercise days", "re-test", "your clients this week", "needs your attention"):
        assert kind in subjects  # every kind of email was sent
    for email in mailoutbox:
        [(html, _)] = email.alternatives
        for text in (email.subject, email.body, html):
            assert PHI_SENTINEL.lower() not in text.lower(), email.subject
            assert client.last_name not in text
            assert not [word for word in HEALTH_WORDS if word in text.lower()], email.subject
