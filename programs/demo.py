"""Demo programs: a published plan for each demo client who has an assessment."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from clients.demo import demo_clients
from clients.models import Clearance

from . import services


@transaction.atomic
def seed_programs(practice) -> int:
    """Suggest and publish a program from each demo client's latest assessment (once)."""
    made = 0
    # Only the demo's own clients: a client a user added and assessed is never given a
    # demo clearance and plan.
    clients = demo_clients(practice).filter(assessments__isnull=False).distinct()
    for client in clients:
        if client.programs.exists():
            continue
        assessment = client.assessments.order_by("-assessed_on", "-id").first()
        version = services.generate_program(assessment, by=client.specialist)
        if not services.publish_check(version).allowed:
            # The demo shows the referral path done: the physician's clearance on file.
            Clearance.objects.create(
                client=client,
                cleared_on=max(assessment.assessed_on, timezone.localdate()),
                cleared_by="Dr. R. Okoye, GP (demo)",
                note="Cleared for supervised corrective exercise.",
                recorded_by=client.specialist,
            )
        services.publish(version, by=client.specialist)
        made += 1
    return made
