"""Existing products become cards of one variant (no group) with their readiness stored.

The check is the pure `catalog.readiness.readiness_check` over the historical models' values,
so this migration keeps working as the models change.
"""

from django.db import migrations

from catalog.readiness import readiness_check

BATCH = 1000
FIELDS = (
    "title_uz",
    "title_ru",
    "description_uz",
    "description_ru",
    "features_uz",
    "features_ru",
    "image_urls",
    "attributes",
    "price_uzs",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
)


def readiness_store(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    Category = apps.get_model("catalog", "Category")
    CategoryAttribute = apps.get_model("catalog", "CategoryAttribute")
    codes = dict(Category.objects.values_list("pk", "code"))
    forbidden = [
        code
        for code, is_forbidden in Category.objects.values_list("code", "forbidden")
        if is_forbidden
    ]
    required: dict[int, list[str]] = {}
    names: dict[str, dict[str, str]] = {}
    for link in CategoryAttribute.objects.select_related("attribute").order_by("position", "id"):
        if link.required or link.variant_axis:
            required.setdefault(link.category_id, []).append(link.attribute.code)
        attribute = link.attribute
        names[attribute.code] = {
            lang: getattr(attribute, f"name_{lang}") for lang in ("en", "ru", "uz", "zh")
        }
    changed = []
    for product in Product.objects.order_by("pk").iterator(chunk_size=BATCH):
        values = {name: getattr(product, name) for name in FIELDS}
        readiness = readiness_check(
            values,
            category=codes.get(product.category_id, ""),
            forbidden=forbidden,
            required=required.get(product.category_id, ()),
            names=names,
        )
        stored = readiness.to_json()
        product.readiness_state = stored["state"]
        product.readiness_issues = stored["issues"]
        changed.append(product)
        if len(changed) >= BATCH:
            Product.objects.bulk_update(changed, ["readiness_state", "readiness_issues"])
            changed = []
    if changed:
        Product.objects.bulk_update(changed, ["readiness_state", "readiness_issues"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_cards")]

    operations = [migrations.RunPython(readiness_store, migrations.RunPython.noop)]
