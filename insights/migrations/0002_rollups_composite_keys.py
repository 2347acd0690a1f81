# Rollups keyed by their natural composite primary key, and no per-row foreign-key checks on
# facts and rollups (load speed). The rollups are recreated and rebuilt from the facts.

import django.db.models.deletion
from django.db import migrations, models

ROLLUPS = (
    (
        "insights_rollupbrandday",
        "category_id, date, market_brand_id",
        "s.category_id, s.date, s.market_brand_id",
        "",
    ),
    (
        "insights_rolluporiginday",
        "category_id, date, origin_country",
        "s.category_id, s.date, b.origin_country",
        "JOIN insights_marketbrand b ON b.id = s.market_brand_id",
    ),
    ("insights_rollupcategoryday", "category_id, date", "s.category_id, s.date", ""),
)


def rollups_rebuild(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table, keys, select_keys, join in ROLLUPS:
            cursor.execute(
                f"INSERT INTO {table} ({keys}, units, revenue_uzs, facts) "
                f"SELECT {select_keys}, SUM(s.units), SUM(s.revenue_uzs), COUNT(*) "
                f"FROM insights_sale s {join} GROUP BY {select_keys}"
            )


def rollup_fields():
    return [
        ("date", models.DateField()),
        ("units", models.BigIntegerField(default=0)),
        ("revenue_uzs", models.BigIntegerField(default=0)),
        ("facts", models.BigIntegerField(default=0)),
    ]


def category_field():
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="catalog.category",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("insights", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="RollupBrandDay"),
        migrations.DeleteModel(name="RollupOriginDay"),
        migrations.DeleteModel(name="RollupCategoryDay"),
        migrations.RemoveIndex(model_name="sale", name="sale_category_date"),
        migrations.AlterField(
            model_name="sale",
            name="category",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.category",
            ),
        ),
        migrations.AlterField(
            model_name="sale",
            name="load",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sales",
                to="insights.salesload",
            ),
        ),
        migrations.AlterField(
            model_name="sale",
            name="market_brand",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sales",
                to="insights.marketbrand",
            ),
        ),
        migrations.CreateModel(
            name="RollupBrandDay",
            fields=[
                ("pk", models.CompositePrimaryKey("category", "date", "market_brand", blank=True, editable=False, primary_key=True, serialize=False)),
                *rollup_fields(),
                ("category", category_field()),
                (
                    "market_brand",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="insights.marketbrand",
                    ),
                ),
            ],
            options={"verbose_name": "daily brand rollup"},
        ),
        migrations.CreateModel(
            name="RollupOriginDay",
            fields=[
                ("pk", models.CompositePrimaryKey("category", "date", "origin_country", blank=True, editable=False, primary_key=True, serialize=False)),
                *rollup_fields(),
                ("category", category_field()),
                ("origin_country", models.CharField(max_length=2)),
            ],
            options={
                "verbose_name": "daily origin rollup",
                "indexes": [
                    models.Index(fields=["origin_country", "date"], name="rollup_origin_day_origin")
                ],
            },
        ),
        migrations.CreateModel(
            name="RollupCategoryDay",
            fields=[
                ("pk", models.CompositePrimaryKey("category", "date", blank=True, editable=False, primary_key=True, serialize=False)),
                *rollup_fields(),
                ("category", category_field()),
            ],
            options={"verbose_name": "daily category rollup"},
        ),
        migrations.RunPython(rollups_rebuild, migrations.RunPython.noop),
    ]
