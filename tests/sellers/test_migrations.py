"""The sellers data migrations, run on rows an earlier version of the portal wrote."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sellers", "0003_staff_roles")]


@pytest.mark.django_db(transaction=True)
def test_row_32_existing_accounts_count_as_confirmed_and_take_the_normal_spelling():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("sellers", "User")
    old.objects.create(email="Li@Bücher.example", password="!")
    old.objects.create(email="wang@example.cn", password="!")
    # Two rows that are one mailbox cannot be merged: both keep their spelling.
    old.objects.create(email="Twin@example.cn", password="!")
    old.objects.create(email="twin@example.cn", password="!")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from sellers.models import User  # the current model, once the table has the new column

    assert not User.objects.filter(email_verified_at__isnull=True).exists()
    assert set(User.objects.values_list("email", flat=True)) == {
        "li@xn--bcher-kva.example",
        "wang@example.cn",
        "Twin@example.cn",
        "twin@example.cn",
    }
