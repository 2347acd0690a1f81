"""The rollups: one per rollup model, kept equal to a rebuild from the facts."""

import pytest

from insights.models import ROLLUP_MODELS
from insights.rollups import rollup_tables
from insights.services import rollups_rebuild, sales_load
from tests.insights.factories import GOOD_ROWS, sales_file, snapshot

pytestmark = pytest.mark.usefixtures("categories")


def test_it_keeps_rollups_equal_to_a_rebuild_from_the_facts(sample_sales_path):
    sales_load(file=sample_sales_path)
    sales_load(file=sales_file(GOOD_ROWS), filename="more.csv")
    maintained = snapshot()["rollups"]

    rollups_rebuild()

    assert snapshot()["rollups"] == maintained


def test_it_keys_each_rollup_by_its_models_primary_key():
    tables = {rollup.table: rollup.keys for rollup in rollup_tables()}

    assert tables == {
        model._meta.db_table: tuple(field.attname for field in model._meta.pk_fields)
        for model in ROLLUP_MODELS
    }
    assert all("date" in keys for keys in tables.values())
