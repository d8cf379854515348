from django.db import migrations, models


def mark_users_with_devices(apps, schema_editor):
    """Existing confirmed TOTP devices: their users pass the second step as before."""
    try:
        TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    except LookupError:
        return
    User = apps.get_model("clients", "User")
    users = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    User.objects.filter(pk__in=users).update(has_totp_device=True)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0002_client_list_indexes"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="has_totp_device",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_users_with_devices, migrations.RunPython.noop),
    ]
