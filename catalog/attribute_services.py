"""Writes to the category characteristics: loading them from catalog/data/attributes.json."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from catalog.models import Attribute, AttributeOption, AttributeType, Category, CategoryAttribute

ATTRIBUTES_JSON = Path(__file__).resolve().parent / "data" / "attributes.json"
NAME_FIELDS = ("name_en", "name_ru", "name_uz", "name_zh")


def attributes_read(*, path: Path = ATTRIBUTES_JSON) -> dict[str, Any]:
    """The data file, checked: every category entry names a known attribute once, enum
    attributes have options and only numbers have a unit (ValueError naming the problem)."""
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    attributes = {item["code"]: item for item in data["attributes"]}
    if len(attributes) != len(data["attributes"]):
        raise ValueError("an attribute code appears twice")
    for code, item in attributes.items():
        if item["type"] not in AttributeType.values:
            raise ValueError(f"attribute {code}: unknown type {item['type']!r}")
        if item.get("unit") and item["type"] != AttributeType.NUMBER:
            raise ValueError(f"attribute {code}: only a number has a unit")
        if (item["type"] == AttributeType.ENUM) != bool(item.get("options")):
            raise ValueError(f"attribute {code}: options go with an enum, and only there")
    for category, links in data["categories"].items():
        codes = [link["attribute"] for link in links]
        unknown = sorted(set(codes) - attributes.keys())
        if unknown:
            raise ValueError(f"category {category}: unknown attributes {unknown}")
        if len(set(codes)) != len(codes):
            raise ValueError(f"category {category}: an attribute appears twice")
    return data


@transaction.atomic
def attributes_load(*, path: Path = ATTRIBUTES_JSON) -> dict[str, int]:
    """Create or update the attributes, their options and the leaf categories' attributes.

    Repeatable: what the file names is set as the file says, nothing is deleted. Categories not
    in the database yet (the tree is loaded by `categories_load`) are skipped and counted, so
    run it after the tree. Returns the counts.
    """
    data = attributes_read(path=path)
    Attribute.objects.bulk_create(
        [
            Attribute(
                code=item["code"],
                type=item["type"],
                unit=item.get("unit", ""),
                **{name: item[name] for name in NAME_FIELDS},
            )
            for item in data["attributes"]
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["type", "unit", *NAME_FIELDS],
    )
    attribute_ids = dict(Attribute.objects.values_list("code", "id"))
    options = [
        AttributeOption(
            attribute_id=attribute_ids[item["code"]],
            code=option["code"],
            position=position,
            **{name: option[name] for name in NAME_FIELDS},
        )
        for item in data["attributes"]
        for position, option in enumerate(item.get("options", []), start=1)
    ]
    AttributeOption.objects.bulk_create(
        options,
        update_conflicts=True,
        unique_fields=["attribute", "code"],
        update_fields=["position", *NAME_FIELDS],
    )
    categories = dict(
        Category.objects.filter(code__in=data["categories"]).values_list("code", "is_leaf")
    )
    not_leaves = sorted(code for code, is_leaf in categories.items() if not is_leaf)
    if not_leaves:
        raise ValueError(f"only leaf categories have attributes: {not_leaves}")
    category_ids = dict(
        Category.objects.filter(code__in=data["categories"]).values_list("code", "id")
    )
    links = [
        CategoryAttribute(
            category_id=category_ids[category],
            attribute_id=attribute_ids[link["attribute"]],
            required=bool(link.get("required") or link.get("variant_axis")),
            variant_axis=bool(link.get("variant_axis")),
            position=position,
        )
        for category, items in data["categories"].items()
        if category in category_ids
        for position, link in enumerate(items, start=1)
    ]
    CategoryAttribute.objects.bulk_create(
        links,
        update_conflicts=True,
        unique_fields=["category", "attribute"],
        update_fields=["required", "variant_axis", "position"],
    )
    return {
        "attributes": len(data["attributes"]),
        "options": len(options),
        "categories": len(category_ids),
        "categories_missing": len(data["categories"]) - len(category_ids),
        "category_attributes": len(links),
    }
