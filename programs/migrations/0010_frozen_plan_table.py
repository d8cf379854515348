"""The frozen plan PDF moves out of the version's row into a table of its own
(programs.models.FrozenPlan says why); every stored PDF is copied, then the column goes."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 200  # PDFs of about 90 KB each: a few tens of MB in memory at a time


def copy_pdfs(apps, schema_editor):
    ProgramVersion = apps.get_model("programs", "ProgramVersion")
    FrozenPlan = apps.get_model("programs", "FrozenPlan")
    with_pdf = ProgramVersion.objects.filter(pdf__isnull=False).order_by("pk")
    last = 0
    while True:
        batch = list(with_pdf.filter(pk__gt=last).values_list("pk", "pdf")[:BATCH])
        if not batch:
            return
        FrozenPlan.objects.bulk_create(
            FrozenPlan(version_id=pk, pdf=bytes(pdf)) for pk, pdf in batch if pdf
        )
        last = batch[-1][0]


def copy_back(apps, schema_editor):
    ProgramVersion = apps.get_model("programs", "ProgramVersion")
    FrozenPlan = apps.get_model("programs", "FrozenPlan")
    for frozen in FrozenPlan.objects.order_by("pk").iterator(chunk_size=BATCH):
        ProgramVersion.objects.filter(pk=frozen.pk).update(pdf=frozen.pdf)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0009_session_warning_sign"),
    ]

    operations = [
        migrations.CreateModel(
            name="FrozenPlan",
            fields=[
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="frozen",
                        serialize=False,
                        to="programs.programversion",
                    ),
                ),
                ("pdf", models.BinaryField()),
            ],
        ),
        migrations.RunPython(copy_pdfs, copy_back),
        migrations.RemoveField(
            model_name="programversion",
            name="pdf",
        ),
    ]
