"""The shipped category characteristics: every leaf covered, loaded by the migration, by
seed_demo and by load_attributes, repeatably."""

import csv
import io
import json
from importlib import import_module
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalog import demo
from catalog.attribute_services import ATTRIBUTES_JSON, attributes_load, attributes_read
from catalog.attribute_values import OptionIndex, attribute_header_index, fold
from catalog.importing.columns import ALIASES
from catalog.models import Attribute, AttributeOption, Category, CategoryAttribute
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

CATEGORIES_CSV = Path(__file__).resolve().parents[2] / "catalog" / "data" / "categories.csv"
MIGRATION = "0006_category_attributes"
LANGUAGES = ("en", "ru", "uz", "zh")


def _leaves() -> set[str]:
    path = SHARED / "data" / "categories.csv"
    with (path if path.exists() else CATEGORIES_CSV).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    parents = {row["parent"] for row in rows}
    return {row["code"] for row in rows if row["code"] not in parents}


@pytest.fixture
def loaded(categories) -> dict[str, list[CategoryAttribute]]:
    attributes_load()
    by_category: dict[str, list[CategoryAttribute]] = {}
    for link in CategoryAttribute.objects.select_related("category", "attribute").order_by(
        "category__code", "position"
    ):
        by_category.setdefault(link.category.code, []).append(link)
    return by_category


def _codes(links: list[CategoryAttribute], **flags: bool) -> set[str]:
    return {
        link.attribute.code
        for link in links
        if all(getattr(link, name) == value for name, value in flags.items())
    }


def test_every_leaf_of_the_shared_tree_has_three_attributes_and_one_required(loaded):
    assert set(loaded) == _leaves()
    for code, links in loaded.items():
        assert len(links) >= 3, code
        assert _codes(links, required=True), code


def test_the_data_file_names_only_leaves_of_the_tree():
    assert set(attributes_read()["categories"]) == _leaves()


@pytest.mark.parametrize("prefix", ["clothing.", "shoes."])
def test_clothing_and_footwear_vary_by_colour_and_size(loaded, prefix):
    leaves = [code for code in loaded if code.startswith(prefix)]
    assert leaves
    for code in leaves:
        axes = _codes(loaded[code], variant_axis=True)
        assert "colour" in axes, code
        assert {axis for axis in axes if axis.endswith("size")}, code


def test_adult_clothing_sizes_run_from_xs_to_xxxl_and_shoes_from_35_to_46(loaded):
    sizes = list(AttributeOption.objects.filter(attribute__code="size").values_list("name_en"))
    assert [name for (name,) in sizes] == ["XS", "S", "M", "L", "XL", "XXL", "XXXL"]
    shoe_sizes = AttributeOption.objects.filter(attribute__code="shoe_size")
    assert [int(o.code) for o in shoe_sizes] == list(range(35, 47))
    for code in ("clothing.men.tshirts", "clothing.women.dresses"):
        assert "size" in _codes(loaded[code], variant_axis=True)
    for code in ("shoes.sneakers", "shoes.boots", "shoes.slippers"):
        assert "shoe_size" in _codes(loaded[code], variant_axis=True)


def test_every_electronics_leaf_has_a_colour(loaded):
    for code, links in loaded.items():
        if code.startswith("electronics."):
            assert "colour" in _codes(links), code


@pytest.mark.parametrize(
    ("leaf", "expected"),
    [
        ("electronics.phones.smartphones", {"memory"}),
        ("electronics.computers.tablets", {"memory"}),
        ("electronics.computers.laptops", {"ram", "storage"}),
    ],
)
def test_devices_with_memory_vary_by_colour_and_memory(loaded, leaf, expected):
    assert {"colour", *expected} <= _codes(loaded[leaf], variant_axis=True)


def test_phones_offer_the_usual_memory_sizes(loaded):
    codes = set(
        AttributeOption.objects.filter(attribute__code="memory").values_list("code", flat=True)
    )
    assert {"64gb", "128gb", "256gb", "512gb"} <= codes


@pytest.mark.parametrize(
    "leaf",
    [
        "electronics.phones.chargers",
        "electronics.phones.powerbanks",
        "electronics.audio.speakers",
        "appliances.kitchen.kettles",
        "appliances.home.heaters",
    ],
)
def test_powered_devices_require_their_power_in_watts(loaded, leaf):
    assert "power" in _codes(loaded[leaf], required=True)
    assert Attribute.objects.get(code="power").unit == "W"


def test_variant_axes_are_always_required(loaded):
    for code, links in loaded.items():
        assert _codes(links, variant_axis=True) <= _codes(links, required=True), code


def test_every_name_is_given_in_four_languages_with_the_uzbek_okina():
    data = attributes_read()
    items = [*data["attributes"], *(o for a in data["attributes"] for o in a.get("options", []))]
    for item in items:
        for language in LANGUAGES:
            assert item[f"name_{language}"].strip(), (item["code"], language)
        # Uzbek Latin writes oʻ and gʻ with U+02BB, never an ASCII apostrophe.
        assert "'" not in item["name_uz"] and "’" not in item["name_uz"], item["name_uz"]


def test_a_header_names_one_attribute_in_each_category(loaded):
    for code, links in loaded.items():
        attributes = [link.attribute for link in links]
        index = attribute_header_index(attributes)
        for attribute in attributes:
            for language in LANGUAGES:
                key = fold(getattr(attribute, f"name_{language}"))
                assert index[key] == (attribute,), (code, attribute.code, language)


# The columns issue 13 adds beside the attributes: the group column's aliases and the features.
NEW_COLUMNS = ("group", "model", "Модель", "Model", "款号", "货号组", "features_uz", "features_ru")


def test_no_attribute_is_named_like_a_catalog_column():
    # header_key and fold agree on these: spaces, case and width are ignored by both.
    columns = {fold(key) for key in ALIASES} | {fold(name) for name in NEW_COLUMNS}
    for attribute in attributes_read()["attributes"]:
        for name in (attribute["code"], *(attribute[f"name_{x}"] for x in LANGUAGES)):
            assert fold(name) not in columns, name


def test_every_spelling_of_an_option_means_one_option():
    for attribute in attributes_read()["attributes"]:
        if attribute["type"] != "enum":
            continue
        options = [AttributeOption(**option) for option in attribute["options"]]
        index = OptionIndex.build(options)
        for option in options:
            for name in (option.code, *(getattr(option, f"name_{x}") for x in LANGUAGES)):
                assert index.codes[fold(name)] == option.code, (attribute["code"], name)


def test_loading_twice_changes_nothing(categories, django_assert_max_num_queries):
    first = attributes_load()
    snapshot = list(
        CategoryAttribute.objects.values_list("category_id", "attribute_id", "position")
    )
    with django_assert_max_num_queries(10):
        assert attributes_load() == first
    assert (
        list(CategoryAttribute.objects.values_list("category_id", "attribute_id", "position"))
        == snapshot
    )
    assert first["categories"] == len(_leaves()) and first["categories_missing"] == 0


def test_loading_sets_back_what_the_file_says(categories):
    attributes_load()
    link = CategoryAttribute.objects.get(category__code="shoes.sneakers", attribute__code="colour")
    CategoryAttribute.objects.filter(pk=link.pk).update(required=False, variant_axis=False)
    Attribute.objects.filter(code="colour").update(name_ru="Цвт")
    attributes_load()
    link.refresh_from_db()
    assert link.required and link.variant_axis
    assert Attribute.objects.get(code="colour").name_ru == "Цвет"


def test_loading_before_the_tree_skips_the_categories(db):
    Category.objects.all().delete()
    counts = attributes_load()
    assert counts["categories"] == 0 and counts["categories_missing"] == len(_leaves())
    assert Attribute.objects.count() == counts["attributes"]
    assert not CategoryAttribute.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["categories"]["shoes.sneakers"].append({"attribute": "nope"}), "unknown"),
        (lambda d: d["attributes"][0].update(type="colourful"), "unknown type"),
        (lambda d: d["attributes"][0].update(options=[]), "options"),
        (lambda d: d["categories"]["shoes.sneakers"].append({"attribute": "colour"}), "twice"),
    ],
)
def test_a_broken_data_file_is_refused_and_changes_nothing(categories, tmp_path, change, message):
    data = json.loads(ATTRIBUTES_JSON.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "attributes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        attributes_load(path=path)
    assert not CategoryAttribute.objects.exists()


def test_a_parent_category_in_the_data_file_is_refused(categories, tmp_path):
    data = json.loads(ATTRIBUTES_JSON.read_text(encoding="utf-8"))
    data["categories"]["shoes"] = [{"attribute": "colour", "required": True}]
    path = tmp_path / "attributes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="leaf"):
        attributes_load(path=path)
    assert not CategoryAttribute.objects.filter(category__code="shoes").exists()


def _migration_state_apps():
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("catalog", MIGRATION)).apps


def test_the_data_migration_loads_the_same_data_with_the_historical_models(categories):
    # Run the migration's own function on the models as they were at 0006, on the tree.
    migration = import_module(f"catalog.migrations.{MIGRATION}")
    AttributeOption.objects.all().delete()
    CategoryAttribute.objects.all().delete()
    Attribute.objects.all().delete()
    with connection.schema_editor(atomic=False) as editor:
        migration.load_attributes(_migration_state_apps(), editor)
    by_migration = set(
        CategoryAttribute.objects.values_list(
            "category__code", "attribute__code", "required", "variant_axis", "position"
        )
    )
    options = AttributeOption.objects.count()
    counts = attributes_load()
    assert by_migration == set(
        CategoryAttribute.objects.values_list(
            "category__code", "attribute__code", "required", "variant_axis", "position"
        )
    )
    assert len(by_migration) == counts["category_attributes"]
    assert options == counts["options"] == AttributeOption.objects.count()


def test_the_migration_is_in_the_plan_after_0005():
    migration = import_module(f"catalog.migrations.{MIGRATION}").Migration
    assert ("catalog", "0005_product_last_import") in migration.dependencies


def test_seed_demo_loads_the_attributes(db):
    out = io.StringIO()
    demo.seed(stdout=out, options={})
    assert "attributes:" in out.getvalue()
    assert CategoryAttribute.objects.filter(category__code="shoes.sneakers").count() >= 3


def test_the_command_loads_the_file_and_prints_the_counts(categories):
    out = io.StringIO()
    call_command("load_attributes", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["category_attributes"] == CategoryAttribute.objects.count() > 0
