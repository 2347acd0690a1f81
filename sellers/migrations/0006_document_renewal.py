"""Documents after approval: renewals (what a document renews, when it was superseded), who
reviewed it and when, and the expiry reminders sent (once per document and threshold).

Sellers approved before an approval needed accepted documents kept them `pending` for ever:
their pending documents count as accepted with the application, as reviewers decided then."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    Document = apps.get_model("sellers", "Document")
    Document.objects.filter(
        seller__status__in=["approved", "suspended"], review_state="pending"
    ).update(review_state="accepted")


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0005_brand_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="replaces",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="renewals",
                to="sellers.document",
                verbose_name="renews",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="document",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="superseded"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["review_state", "expires_on"], name="document_expiry"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("review_state__in", ["pending", "accepted", "rejected"])),
                name="document_review_state_valid",
            ),
        ),
        migrations.CreateModel(
            name="DocumentReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("days", models.PositiveSmallIntegerField(verbose_name="days before expiry")),
                (
                    "sent_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="sent"),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="sellers.document",
                    ),
                ),
            ],
            options={
                "verbose_name": "document reminder",
                "verbose_name_plural": "document reminders",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("document", "days"), name="document_reminder_once_per_threshold"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
