"""The staff groups "Reviewers" and "Market analysts" with their model permissions."""

from django.db import migrations

from sellers.permissions import staff_roles_sync


def forwards(apps, schema_editor):
    staff_roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sellers", "0002_field_validators"),
        # The analysts' permissions are on insights models, which must exist first.
        ("insights", "0004_market_brand_rollup"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
