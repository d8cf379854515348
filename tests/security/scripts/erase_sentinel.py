"""Run by test_erasure_leaves_no_trace in a fresh interpreter on a file SQLite database.

Prints a JSON object: occurrences of the sentinel (in any letter case) in the database
files before and after erasing the client. Some records holding it are deleted before the
erasure (a pain report, a program exercise, a replaced draft), so only their audit history
keeps it; a failed sign-in types the email in another letter case.
"""

import json
import os
import sys
from datetime import date
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from axes.models import AccessAttempt, AccessLog  # noqa: E402
from django.contrib.admin.models import CHANGE, LogEntry  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as Browser  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from assessments.models import Assessment, PainReport, TechNeck  # noqa: E402
from clients.models import Client, Consent, Membership, Practice, Screening, User  # noqa: E402
from clients.services import erase_client  # noqa: E402
from programs import services, sharing  # noqa: E402
from programs.models import ProgramExercise  # noqa: E402

SENTINEL = sys.argv[1]
database = Path(connection.settings_dict["NAME"])


def occurrences() -> int:
    needle = SENTINEL.lower().encode()
    return sum(
        path.read_bytes().lower().count(needle)
        for path in database.parent.glob(database.name + "*")
        if path.is_file()
    )


call_command("migrate", verbosity=0)
setup_test_environment()  # the test browser's host is allowed, mail stays in memory
practice = Practice.objects.create(name="Studio")
specialist = User.objects.create_user("spec", password="a-long-pass-phrase-1")
Membership.objects.create(user=specialist, practice=practice, role="owner")
account = User.objects.create_user(
    f"{SENTINEL}@example.org", email=f"{SENTINEL}@example.org", password="b-long-pass-phrase-2"
)
client = Client.objects.create(
    practice=practice,
    specialist=specialist,
    user=account,
    first_name="Ana",
    last_name=SENTINEL,
    birth_date=date(1990, 1, 1),
    sex="female",
    email=f"{SENTINEL}@example.org",
    notes=f"notes {SENTINEL}",
)
client.goals = f"goals {SENTINEL}"
client.save()  # a second history row
Screening.objects.create(client=client, notes=f"screening {SENTINEL}", q1=True)
Consent.objects.create(client=client, agreed=f"consent {SENTINEL}")
assessment = Assessment.objects.create(
    client=client, specialist=specialist, assessed_on=date(2026, 11, 20), notes=f"a {SENTINEL}"
)
TechNeck.objects.create(assessment=assessment, cva_deg=44)
version = services.generate_program(assessment, by=specialist)
version.notes = f"program {SENTINEL}"
version.save()
link, _ = sharing.create_share_link(version, by=specialist)
LogEntry.objects.log_actions(
    specialist.pk, [client], CHANGE, change_message=f"edited {SENTINEL}", single_object=True
)
# Records deleted before the erasure: only their audit history keeps the sentinel.
pain = PainReport.objects.create(
    assessment=assessment, region="knee", score=6, during=f"pain {SENTINEL}"
)
LogEntry.objects.log_actions(
    specialist.pk, [pain], CHANGE, change_message=f"pain {SENTINEL}", single_object=True
)
pain.delete()
replaced = services.generate_program(assessment, by=specialist)
replaced.draft["findings"].append({"code": "forward_head_posture", "explanation": SENTINEL})
replaced.save()
current = services.redraft(replaced, by=specialist)  # the draft with the finding is deleted
item = ProgramExercise.objects.filter(phase__version=current).first()
item.notes = f"exercise {SENTINEL}"
item.save()
services.remove_exercise(item)
LogEntry.objects.log_actions(
    specialist.pk, [account], CHANGE, change_message="password reset", single_object=True
)
ContentType.objects.clear_cache()
browser = Browser()
browser.post("/accounts/login/", {"username": account.username, "password": "b-long-pass-phrase-2"})
# Failures after it (a success clears the count), one typed in another letter case:
# django-axes counts the name lower-cased (core.backends.typed_name).
browser.post("/accounts/login/", {"username": account.username, "password": "wrong"})
browser.post("/accounts/login/", {"username": account.username.swapcase(), "password": "wrong"})
# The sign-ins must have left their records, or the count below would prove nothing.
if not (
    AccessLog.objects.filter(username__iexact=account.username).exists()
    and AccessAttempt.objects.filter(
        username__iexact=account.username, failures_since_start=2
    ).exists()
):
    sys.exit("the sign-ins left no django-axes records")
with connection.cursor() as cursor:
    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
before = occurrences()
erase_client(Client.objects.get(pk=client.pk))
# Counted with the connection still open, as in a running server: closing the last
# connection would checkpoint the write-ahead log by itself and hide what it still holds.
after = occurrences()
connection.close()
sys.stdout.write(json.dumps({"before": before, "after": after}) + "\n")
