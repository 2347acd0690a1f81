"""Card rules of an import (issue 13): bad characteristics and variants, and a header that
several characteristics share. Uzbek in Latin and the error report: test_import_cards_report.py.

A variant without its axis value is the contract's `duplicate_variant` with the hint
`axis_missing` (DESIGN.md), naming the card's first row.

Each bad row is rejected with a clear error and leaves its stored product as it was, while
the file's other rows import; a preview of the same file changes nothing at all.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import translation

from catalog.attribute_services import attributes_load
from catalog.cards import card_rules_load, product_readiness, product_values
from catalog.models import ImportJob, ImportStatus, Product, RowError
from catalog.readiness import NEEDS_FIXES
from catalog.selectors import import_job_errors
from catalog.services import import_job_create
from tests.catalog.conftest import upload
from tests.catalog.factories import sample_seller

CHARACTERISTICS = [
    "Colour",
    "Size",
    "Material",
    "Built-in memory",
    "RAM",
    "NFC",
    "Battery capacity",
]
HEADER = [
    "group",
    "sku",
    "title_uz",
    "title_ru",
    "description_uz",
    "description_ru",
    "features_uz",
    "features_ru",
    "brand",
    "category",
    "price_uzs",
    "stock",
    "ikpu",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
    "image_urls",
    *CHARACTERISTICS,
]
SHIRT = {
    "group": "TS-1",
    "title_uz": "Erkaklar paxta futbolkasi Lanyue",
    "title_ru": "Мужская хлопковая футболка Lanyue",
    "description_uz": "Yumshoq paxta futbolka.",
    "description_ru": "Мягкая хлопковая футболка.",
    "features_uz": "100% paxta|Yumshoq mato|Mashinada yuvish mumkin",
    "features_ru": "100% хлопок|Мягкая ткань|Можно стирать в машине",
    "brand": "Lanyue",
    "category": "clothing.men.tshirts",
    "price_uzs": "189000",
    "stock": "10",
    "ikpu": "61091000001000000",
    "weight_g": "250",
    "length_mm": "300",
    "width_mm": "250",
    "height_mm": "30",
    "image_urls": "https://img.example.com/ts/1.jpg",
    "Colour": "Black",
    "Size": "M",
    "Material": "Cotton",
}
PHONE = {
    **SHIRT,
    "group": "PH-1",
    "title_uz": "Smartfon Jinma X5 Pro",
    "title_ru": "Смартфон Jinma X5 Pro",
    "description_uz": "Kuchli batareyali smartfon.",
    "description_ru": "Смартфон с мощной батареей.",
    "features_uz": "AMOLED ekran|5000 mAh batareya|Ikki SIM-karta",
    "features_ru": "AMOLED-экран|Аккумулятор 5000 мАч|Две SIM-карты",
    "brand": "Jinma",
    "category": "electronics.phones.smartphones",
    "price_uzs": "3890000",
    "ikpu": "85171300001000000",
    "weight_g": "420",
    "length_mm": "170",
    "width_mm": "90",
    "height_mm": "60",
    "Colour": "Blue",
    "Size": "",
    "Material": "",
    "Built-in memory": "128 GB",
    "RAM": "8 GB",
    "NFC": "yes",
    "Battery capacity": "5000",
}


def card_csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for cells in rows:
        writer.writerow({name: cells.get(name, "") for name in header})
    return out.getvalue().encode("utf-8")


@pytest.fixture
def seller(categories):
    attributes_load()
    return sample_seller()


@pytest.fixture
def importer(django_capture_on_commit_callbacks) -> Callable[..., ImportJob]:
    """Import a file as every entry point does, with the transliteration option given."""

    def run(seller, content: bytes, *, mode="commit", transliterate=True, name="cards.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            job, _created = import_job_create(
                seller=seller,
                user=None,
                file=upload(name, content),
                mode=mode,
                transliterate=transliterate,
            )
        job.refresh_from_db()
        assert job.status in (ImportStatus.COMPLETED, ImportStatus.VALIDATED), job.error_message
        return job

    return run


def stored(seller) -> dict[str, dict[str, Any]]:
    """Every stored field of the seller's products that an import may write."""
    fields = [
        "sku",
        "group",
        "title_uz",
        "title_ru",
        "features_uz",
        "features_ru",
        "attributes",
        "price_uzs",
        "stock",
        "readiness_state",
        "readiness_issues",
        "updated_at",
    ]
    return {p["sku"]: p for p in Product.objects.filter(seller=seller).values(*fields)}


def errors(job: ImportJob) -> list[RowError]:
    return list(import_job_errors(job=job, severity="error"))


# --- bad input: table-driven ----------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A file of two variants, A (row 2) then B (row 3), imported once as good; then A with a
    new stock and B with a new price and `change`: B must be rejected with `code` on `column`."""

    name: str
    base: dict[str, str]
    good_b: dict[str, str]
    change: dict[str, str]
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    says: tuple[str, ...] = ()  # in the English message


BAD = [
    Bad(
        "enum typo",
        SHIRT,
        {"Size": "L"},
        {"Size": "L", "Colour": "Blakc"},
        "colour",
        "unknown_value",
        {"value": "Blakc"},
        ("Blakc", "Black, White"),
    ),
    Bad(
        "size not of clothes",
        SHIRT,
        {"Size": "L"},
        {"Size": "XXXXL"},
        "size",
        "unknown_value",
        {"value": "XXXXL"},
        ("XXXXL", "XS, S, M, L"),
    ),
    Bad(
        "text in a number",
        PHONE,
        {"Built-in memory": "256 GB"},
        {"Built-in memory": "256 GB", "Battery capacity": "много"},
        "battery_capacity",
        "invalid_number",
        {"value": "много"},
        ("много",),
    ),
    Bad(
        "boolean typo",
        PHONE,
        {"Built-in memory": "256 GB"},
        {"Built-in memory": "256 GB", "NFC": "maybe"},
        "nfc",
        "unknown_value",
        {"value": "maybe"},
        ("maybe", "yes, no"),
    ),
    Bad(
        "a group's row with another title",
        SHIRT,
        {"Size": "L"},
        {"Size": "L", "title_ru": "Мужская футболка другая модель"},
        "title_ru",
        "group_mismatch",
        {"group": "TS-1", "first_row": 2},
        ("TS-1", "row 2"),
    ),
    Bad(
        "a group's row with other features",
        PHONE,
        {"Built-in memory": "256 GB"},
        {"Built-in memory": "256 GB", "features_uz": "Boshqa|xususiyatlar"},
        "features_uz",
        "group_mismatch",
        {"group": "PH-1", "first_row": 2},
        ("PH-1", "row 2"),
    ),
    Bad(
        "the same colour and size twice",
        SHIRT,
        {"Size": "L"},
        {"Size": "m"},  # M, in another case
        "colour",
        "duplicate_variant",
        {"group": "TS-1", "first_row": 2, "row": 3},
        ("Rows 2 and 3", "TS-1"),
    ),
    Bad(
        "the same colour and memory twice, one in Russian",
        PHONE,
        {"Built-in memory": "256 GB"},
        {"Built-in memory": "128 ГБ", "Colour": "Синий"},
        "colour",
        "duplicate_variant",
        {"group": "PH-1", "first_row": 2, "row": 3},
        ("Rows 2 and 3", "PH-1"),
    ),
    Bad(
        "a variant without its size",
        SHIRT,
        {"Size": "L"},
        {"Size": ""},
        "size",
        "duplicate_variant",
        {"hint": "axis_missing", "group": "TS-1", "first_row": 2, "row": 3},
        ("TS-1", "Size", "first row 2"),
    ),
    Bad(
        "a variant without its memory",
        PHONE,
        {"Built-in memory": "256 GB"},
        {"Built-in memory": ""},
        "memory",
        "duplicate_variant",
        {"hint": "axis_missing", "group": "PH-1", "first_row": 2, "row": 3},
        ("PH-1", "Built-in memory", "first row 2"),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD, ids=[case.name for case in BAD])
def test_a_bad_row_is_rejected_and_changes_nothing_stored(case, seller, importer):
    row_a = {**case.base, "sku": "A"}
    row_b = {**case.base, **case.good_b, "sku": "B"}
    first = importer(seller, card_csv([row_a, row_b]))
    assert first.counts["created"] == 2 and not errors(first)
    before = stored(seller)

    bad_file = card_csv([{**row_a, "stock": "77"}, {**row_b, **case.change, "price_uzs": "999000"}])
    preview = importer(seller, bad_file, mode="validate", name="bad-preview.csv")
    assert preview.counts == {"created": 0, "updated": 1, "unchanged": 0, "invalid": 1}
    assert stored(seller) == before  # a preview changes nothing at all

    job = importer(seller, bad_file, name="bad.csv")
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 0, "invalid": 1}
    [error] = errors(job)
    assert (error.row, error.column, error.code) == (3, case.column, case.code)
    for name, value in case.params.items():
        assert error.params[name] == value, (name, error.params)
    for text in case.says:
        assert text in error.message, error.message
    after = stored(seller)
    assert after["B"] == before["B"]  # the bad row changed nothing stored
    assert after["A"]["stock"] == 77  # the other row imported


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "allowed"),
    [
        ("zh-hans", ("黑色", "白色", "藏青色")),
        ("ru", ("Чёрный", "Белый", "Тёмно-синий")),
        ("uz", ("Qora", "Oq", "Toʻq koʻk")),
        ("en", ("Black", "White", "Navy")),
    ],
)
def test_an_unknown_value_lists_the_allowed_values_in_the_readers_language(
    language, allowed, seller, importer
):
    job = importer(seller, card_csv([{**SHIRT, "sku": "A", "Colour": "Blakc"}]))
    [error] = errors(job)
    assert (error.column, error.code) == ("colour", "unknown_value")
    with translation.override(language):
        message = error.message
    assert "Blakc" in message
    for name in allowed:
        assert name in message, message
    other = {"zh-hans": "Black", "ru": "Qora", "uz": "Чёрный", "en": "黑色"}[language]
    assert other not in message


@pytest.mark.django_db
def test_an_enum_value_in_another_language_case_or_width_is_its_option(seller, importer):
    rows = [
        {**SHIRT, "sku": "A", "Colour": "Чёрный", "Size": "ｍ", "Material": "棉"},
        {**SHIRT, "sku": "B", "Colour": "черный", "Size": "Ｌ", "Material": "PAXTA"},
        {**SHIRT, "sku": "C", "Colour": "toʻq KOʻK", "Size": "xl", "Material": "хлопок"},
        {**SHIRT, "sku": "D", "Colour": "藏青色", "Size": "XXL", "Material": "cotton"},
    ]
    job = importer(seller, card_csv(rows))
    assert job.counts["created"] == 4 and not errors(job)
    attributes = dict(Product.objects.values_list("sku", "attributes"))
    assert attributes == {
        "A": {"colour": "black", "size": "m", "material": "cotton"},
        "B": {"colour": "black", "size": "l", "material": "cotton"},
        "C": {"colour": "navy", "size": "xl", "material": "cotton"},
        "D": {"colour": "navy", "size": "xxl", "material": "cotton"},
    }
    # C and D are the same variant (navy) in two spellings, but of different sizes: no clash.


BOOLEANS = [
    ("yes", True),
    ("no", False),
    ("Yes", True),
    ("да", True),
    ("нет", False),
    ("Нет", False),
    ("ha", True),
    ("yoʻq", False),
    ("yo'q", False),
    ("是", True),
    ("否", False),
    ("1", True),
    ("0", False),
    ("true", True),
    ("false", False),
    ("TRUE", True),
    ("１", True),
]


@pytest.mark.django_db
def test_boolean_words_in_every_language(seller, importer):
    rows = [
        {**PHONE, "group": "", "sku": f"NFC-{number}", "NFC": word}
        for number, (word, _value) in enumerate(BOOLEANS)
    ]
    job = importer(seller, card_csv(rows))
    assert job.counts["created"] == len(BOOLEANS) and not errors(job)
    stored_values = {
        sku: attributes["nfc"]
        for sku, attributes in Product.objects.values_list("sku", "attributes")
    }
    assert stored_values == {f"NFC-{n}": value for n, (_word, value) in enumerate(BOOLEANS)}


@pytest.mark.django_db
def test_a_missing_required_characteristic_is_no_error_but_a_readiness_issue(seller, importer):
    job = importer(seller, card_csv([{**SHIRT, "group": "", "sku": "A", "Material": ""}]))
    assert job.counts["created"] == 1 and not errors(job)
    product = Product.objects.get(sku="A")
    assert product.readiness_state == NEEDS_FIXES
    assert [(i["code"], i["field"]) for i in product.readiness_issues] == [
        ("attribute_missing", "material")
    ]


@pytest.mark.django_db
def test_a_group_row_rejected_leaves_the_first_row_and_later_rows_of_the_group(seller, importer):
    """Rows after a rejected one are still checked against the group's first row."""
    rows = [
        {**SHIRT, "sku": "A", "Size": "S"},
        {**SHIRT, "sku": "B", "Size": "S"},  # duplicate of A
        {**SHIRT, "sku": "C", "Size": "L", "title_uz": "Boshqa nom bu yerda"},  # mismatch
        {**SHIRT, "sku": "D", "Size": "XL"},
    ]
    job = importer(seller, card_csv(rows))
    assert [(e.row, e.code) for e in errors(job)] == [
        (3, "duplicate_variant"),
        (4, "group_mismatch"),
    ]
    assert set(Product.objects.values_list("sku", flat=True)) == {"A", "D"}
    assert set(Product.objects.values_list("group", flat=True)) == {"TS-1"}


# --- a header several characteristics share -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "size_header",
    [
        "Size",
        "Размер",
        "Oʻlcham",
        "尺码",
        "ＳＩＺＥ",
    ],
)
def test_a_size_column_is_the_size_of_each_rows_category(size_header, seller, importer):
    """ "Size" names the clothes', the shoes' and the kids' sizes: each row's category picks
    its own (clothing.men.tshirts: size, shoes.sneakers: shoe_size, clothing.kids.everyday:
    kids_size), so one file holds them all."""
    header = [size_header if name == "Size" else name for name in HEADER] + [
        "Gender",
        "Upper material",
    ]
    shoe = {
        **SHIRT,
        "group": "SN-1",
        "category": "shoes.sneakers",
        "title_uz": "Erkaklar krossovkasi Lanyue Run",
        "title_ru": "Мужские кроссовки Lanyue Run",
        "price_uzs": "459000",
        "weight_g": "900",
        "length_mm": "330",
        "width_mm": "210",
        "height_mm": "120",
        "Material": "",
        "Gender": "Мужской",
        "Upper material": "Сетка",
    }
    kids = {
        **SHIRT,
        "group": "",
        "category": "clothing.kids.everyday",
        "Gender": "boys",
        "Material": "cotton",
    }
    rows = [
        {**SHIRT, "sku": "TS-M", size_header: "M"},
        {**shoe, "sku": "SN-42", size_header: "42"},
        {**shoe, "sku": "SN-43", size_header: "43"},
        {**kids, "sku": "KD-110", size_header: "110"},
    ]
    job = importer(seller, card_csv(rows, header))
    assert not errors(job), [(e.row, e.column, e.code, e.params) for e in errors(job)]
    assert not job.warnings, job.warnings
    attributes = dict(Product.objects.values_list("sku", "attributes"))
    assert attributes["TS-M"]["size"] == "m"
    assert attributes["SN-42"]["shoe_size"] == "42" and "size" not in attributes["SN-42"]
    assert attributes["SN-43"]["shoe_size"] == "43"
    assert attributes["KD-110"]["kids_size"] == "110"
    warnings = {e.code for e in import_job_errors(job=job, severity="warning")}
    assert "unknown_attribute" not in warnings


@pytest.mark.django_db
def test_rows_sharing_their_readiness_across_chunks_store_each_rows_own(seller, importer):
    """The writer stages each distinct list of readiness issues once and rows name theirs:
    rows spread over several chunks (64 rows here) and three outcomes get exactly their own,
    and a second import of the same file finds every row unchanged."""
    kinds = [
        {},  # ready
        {"Material": ""},  # attribute_missing
        {"features_ru": "Один", "length_mm": ""},  # features_count, dimensions_missing
    ]
    rows = [{**SHIRT, "group": "", "sku": f"S-{i:03d}", **kinds[i % 3]} for i in range(200)]
    job = importer(seller, card_csv(rows))
    assert job.counts["created"] == 200
    rules = card_rules_load()
    for product in Product.objects.filter(seller=seller):
        expected = product_readiness(product_values(product), rules).to_json()["issues"]
        assert product.readiness_issues == expected, product.sku
    codes = {p.sku: [i["code"] for i in p.readiness_issues] for p in Product.objects.all()}
    assert codes["S-000"] == [] and codes["S-001"] == ["attribute_missing"]
    assert codes["S-199"] == ["attribute_missing"]
    assert codes["S-002"] == ["features_count", "dimensions_missing"]

    again = importer(seller, card_csv(rows))
    assert again.counts["unchanged"] == 200
    rows[0] = {**rows[0], "Material": ""}
    changed = importer(seller, card_csv(rows))
    assert (changed.counts["updated"], changed.counts["unchanged"]) == (1, 199)
    assert Product.objects.get(sku="S-000").readiness_issues[0]["code"] == "attribute_missing"


@pytest.mark.django_db
def test_a_later_file_gives_its_card_values_to_the_variants_it_leaves_out(seller, importer):
    """A card stays the same on every variant: a file listing one variant with a new title
    gives it to the variants it does not list (as an API change of a card does), checks their
    readiness again and says so; a preview of the same file changes nothing."""
    sizes = ["S", "M", "L"]
    first = [{**SHIRT, "sku": f"TS-{size}", "Size": size} for size in sizes]
    importer(seller, card_csv(first))
    renamed = {**first[1], "title_ru": "Мужская футболка Lanyue хлопок", "features_ru": "Один"}

    before = stored(seller)
    preview = importer(seller, card_csv([renamed]), mode="validate")
    assert stored(seller) == before and not preview.warnings

    job = importer(seller, card_csv([renamed]))
    assert (job.counts["updated"], job.counts["unchanged"]) == (1, 0)
    assert job.warnings == [{"code": "card_variants_updated", "params": {"count": 2}}]
    assert "2 products" in job.warning_messages[0]
    for sku, product in stored(seller).items():
        assert product["title_ru"] == "Мужская футболка Lanyue хлопок", sku
        assert product["features_ru"] == ["Один"], sku
        assert product["readiness_state"] == NEEDS_FIXES, sku
        assert [i["code"] for i in product["readiness_issues"]] == ["features_count"], sku
    assert stored(seller)["TS-S"]["updated_at"] > before["TS-S"]["updated_at"]

    # The same file again: everything already agrees.
    again = importer(seller, card_csv([renamed]))
    assert again.counts["unchanged"] == 1 and not again.warnings


PLAIN_HEADER = [
    c for c in HEADER if c not in ("group", "features_uz", "features_ru", *CHARACTERISTICS)
]


@pytest.mark.django_db
def test_a_file_without_the_card_columns_keeps_what_the_cards_have_in_them(seller, importer):
    """A seller's old template (no group, features or characteristics) updates a price without
    taking the products out of their card, their features or their characteristics; their
    readiness is checked with what they kept."""
    importer(seller, card_csv([{**SHIRT, "sku": f"TS-{size}", "Size": size} for size in "SM"]))
    before = stored(seller)
    assert before["TS-S"]["readiness_state"] == "ready"

    plain = [{**SHIRT, "sku": "TS-S", "price_uzs": "199000"}, {**SHIRT, "sku": "TS-M"}]
    job = importer(seller, card_csv(plain, PLAIN_HEADER))
    assert (job.counts["updated"], job.counts["unchanged"]) == (1, 1)
    after = stored(seller)
    for sku in ("TS-S", "TS-M"):
        for name in ("group", "features_uz", "features_ru", "attributes", "readiness_state"):
            assert after[sku][name] == before[sku][name], (sku, name)
        assert after[sku]["readiness_issues"] == [], sku
    assert after["TS-S"]["price_uzs"] == 199000
    assert after["TS-M"]["updated_at"] == before["TS-M"]["updated_at"]

    assert importer(seller, card_csv(plain, PLAIN_HEADER)).counts["unchanged"] == 2


@pytest.mark.django_db
def test_a_file_without_characteristic_columns_keeps_the_characteristics(seller, importer):
    """Features given, no group and no characteristic columns: the stored group and
    characteristics stay. A grouped row of such a file cannot show its variant's axes, so it
    is refused (duplicate_variant, axis_missing) and changes nothing."""
    importer(seller, card_csv([{**SHIRT, "sku": "TS-S", "Size": "S"}]))
    before = stored(seller)["TS-S"]
    header = [c for c in HEADER if c not in ("group", *CHARACTERISTICS)]
    job = importer(seller, card_csv([{**SHIRT, "sku": "TS-S", "stock": "3"}], header))
    assert job.counts["updated"] == 1
    product = stored(seller)["TS-S"]
    assert (product["group"], product["attributes"]) == (before["group"], before["attributes"])
    assert product["stock"] == 3
    assert product["readiness_state"] == "ready", product["readiness_issues"]

    grouped = [c for c in HEADER if c not in CHARACTERISTICS]
    job = importer(seller, card_csv([{**SHIRT, "sku": "TS-S", "stock": "4"}], grouped))
    assert job.counts["invalid"] == 1
    assert [(e.code, e.params.get("hint")) for e in errors(job)] == [
        ("duplicate_variant", "axis_missing")
    ]
    assert stored(seller)["TS-S"] == product


@pytest.mark.django_db
def test_a_new_product_from_a_file_without_card_columns_is_a_card_of_its_own(seller, importer):
    importer(seller, card_csv([{**SHIRT, "sku": "NEW-1"}], PLAIN_HEADER))
    product = stored(seller)["NEW-1"]
    assert (product["group"], product["attributes"], product["features_ru"]) == ("", {}, [])
    codes = {issue["code"] for issue in product["readiness_issues"]}
    assert {"features_count", "attribute_missing"} <= codes
