"""Users get a confirmation date; the accounts that exist already count as confirmed, and the
stored addresses take their one normalised spelling."""

from django.db import migrations, models
from django.db.models import F

from sellers.validators import email_normalize


def forwards(apps, schema_editor):
    User = apps.get_model("sellers", "User")
    Invitation = apps.get_model("sellers", "Invitation")
    # They signed up before there was a link to confirm: nothing to hold them to now.
    User.objects.filter(email_verified_at__isnull=True).update(email_verified_at=F("date_joined"))
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.only("pk", "email"):
        normal = email_normalize(user.email)
        # Two accounts that are one mailbox cannot be merged here: both keep their spelling.
        if normal != user.email and normal not in taken:
            taken.discard(user.email)
            taken.add(normal)
            User.objects.filter(pk=user.pk).update(email=normal)
    for invitation in Invitation.objects.only("pk", "email"):
        normal = email_normalize(invitation.email)
        if normal != invitation.email:
            Invitation.objects.filter(pk=invitation.pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0003_staff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="e-mail address confirmed"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
