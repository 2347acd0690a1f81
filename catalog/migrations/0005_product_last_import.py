import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_import_preview"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="last_import",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalog.importjob",
                verbose_name="last import",
            ),
        ),
    ]
