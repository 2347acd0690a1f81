"""Brands get their own review (state, reason, document, reviewer). The brands of sellers
already approved were reviewed with their application: they start approved; the others wait
for their application's decision. Reviewers may now change (review) brands."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from sellers.permissions import staff_roles_sync


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        # The foreign key checks of these updates run now, not at the commit: PostgreSQL
        # refuses the indexes Django creates at the end of the migration while they wait.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Brand = apps.get_model("sellers", "Brand")
    Seller = apps.get_model("sellers", "Seller")
    seller = Seller.objects.filter(pk=OuterRef("seller_id"))
    Brand.objects.update(
        requested_at=Coalesce(
            Subquery(seller.values("submitted_at")[:1]), Subquery(seller.values("created_at")[:1])
        )
    )
    Brand.objects.filter(seller__status="approved").update(
        state="approved", reviewed_at=F("requested_at")
    )
    staff_roles_sync(apps)
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0004_user_email_verified_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="brand",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="brands",
                to="sellers.document",
                verbose_name="trademark document",
            ),
        ),
        migrations.AddField(
            model_name="brand",
            name="reason",
            field=models.TextField(blank=True, verbose_name="rejection reason"),
        ),
        migrations.AddField(
            model_name="brand",
            name="requested_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="requested"),
        ),
        migrations.AddField(
            model_name="brand",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="brand",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
        ),
        migrations.AddField(
            model_name="brand",
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
            model_name="brand",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                ],
                default="pending",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.AddIndex(
            model_name="brand",
            index=models.Index(fields=["state", "requested_at"], name="brand_review_queue"),
        ),
        migrations.AddConstraint(
            model_name="brand",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["pending", "approved", "rejected"])),
                name="brand_state_valid",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
