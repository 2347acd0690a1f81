"""The row rules: pure functions turning one row's text into product values or coded errors.

Every entry point (file import, API, web form) goes through `validate_record`, so each rule has
one implementation. Error codes are those of DESIGN.md "Row rules"; messages live in
`catalog.importing.messages`.
"""

import re
from dataclasses import dataclass
from typing import Any

from portal.tabular import Bounds, Problem, TableError, parse_som, parse_whole_number
from portal.tabular.numbers import SCIENTIFIC, compact_number
from portal.tabular.table import cell_problems

MAX_SKU = 64
MAX_TITLE = 255
MAX_DESCRIPTION = 10_000
MAX_WEIGHT_G = 50_000
MAX_IMAGES = 10
IKPU_LENGTH = 17

# The values each number column may take: within its database column and what the marketplace
# sells (prices up to a trillion so'm, ten million in stock, parcels up to 50 kg, sides up to
# 100 m). Outside them a value is `out_of_range` {min, max}; below the minimum the rules keep
# their own codes (`not_positive`, `negative`), and above 50,000 g a weight is `too_heavy`.
# The API's schema takes its limits from here.
NUMBER_BOUNDS: dict[str, Bounds] = {
    "price_uzs": Bounds(1, 10**12),
    "stock": Bounds(0, 10**7),
    "weight_g": Bounds(1, MAX_WEIGHT_G),
    "length_mm": Bounds(1, 10**5),
    "width_mm": Bounds(1, 10**5),
    "height_mm": Bounds(1, 10**5),
}
PRICE_BOUNDS = NUMBER_BOUNDS["price_uzs"]
STOCK_BOUNDS = NUMBER_BOUNDS["stock"]
WEIGHT_BOUNDS = NUMBER_BOUNDS["weight_g"]


@dataclass(frozen=True)
class Lookups:
    """What a row is checked against: the seller's brands and the category tree."""

    brands: dict[str, int]  # lower-cased name and Chinese name -> brand id
    brand_names: list[str]  # shown in the unknown_brand message
    categories: dict[str, tuple[int, bool]]  # code -> (id, is_leaf)
    # Lower-cased names of the seller's brands still waiting for review (`brand_pending`).
    pending_brands: frozenset[str] = frozenset()


# --- codes ----------------------------------------------------------------------------------


def gtin_check_digit(digits: str) -> int:
    """The GS1 check digit for the digits before it (EAN-8, UPC-A, EAN-13)."""
    if digits.isascii():  # the common case, summed as bytes: seven times faster than int()
        raw = digits.encode()
        odd, even = raw[-1::-2], raw[-2::-2]
        total = 3 * (sum(odd) - 48 * len(odd)) + sum(even) - 48 * len(even)
    else:
        total = 3 * sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2]))
    return (10 - total % 10) % 10


def parse_barcode(text: str) -> str:
    """Empty, or an EAN-8, UPC-A or EAN-13 with a correct check digit."""
    if not text:
        return ""
    if text.isascii() and text.isdigit() and len(text) in (8, 12, 13):
        value = text  # the common case: nothing to compact, no exponent
    else:
        value = _barcode_compact(text)
        if not value:
            return ""
    expected = gtin_check_digit(value[:-1])
    if int(value[-1]) != expected:
        raise TableError("bad_check_digit", value=value, expected=expected)
    return value


def _barcode_compact(text: str) -> str:
    """A barcode cell that is not plain digits: separators dropped, its length checked."""
    value = compact_number(text)
    if not value:
        return ""
    if SCIENTIFIC.match(value):
        raise TableError("scientific_notation", value=text)
    if not value.isdigit() or len(value) not in (8, 12, 13):
        if (
            value.isdigit()
            and len(value) in (7, 11)
            and gtin_check_digit(value[:-1]) == int(value[-1])
        ):
            # An EAN-8 or EAN-13 whose leading zero a spreadsheet dropped (the check digit
            # counts from the right, so it still matches).
            raise TableError("invalid_barcode", value=text, hint="leading_zero", length=len(value))
        raise TableError("invalid_barcode", value=text)
    return value


_IKPU_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{3}\.\d{3}\.\d{2}\.\d{3}$")


def parse_ikpu(text: str) -> str:
    """17 digits, or the dotted form 10.71.11.100.000.00.000."""
    if len(text) == IKPU_LENGTH and text.isascii() and text.isdigit():
        return text
    value = compact_number(text or "")
    if _IKPU_DOTTED.match(value):
        value = value.replace(".", "")
    if value.isdigit() and len(value) == IKPU_LENGTH:
        return value
    if value.isdigit() and len(value) == IKPU_LENGTH - 1:
        raise TableError("invalid_ikpu", value=text, hint="leading_zero")
    if SCIENTIFIC.match(value):
        raise TableError("invalid_ikpu", value=text, hint="scientific")
    raise TableError("invalid_ikpu", value=text)


# --- text -----------------------------------------------------------------------------------


def title_style_ok(title: str) -> bool:
    """The marketplace's card rules: at least three words, starting with a capital letter."""
    first = title[:1]
    # Caseless scripts (a Chinese brand name first) have no capital to check.
    return first.isalpha() and not first.islower() and len(title.split(None, 2)) == 3


_URL_SPLIT = re.compile(r"[|\s]+")
# scheme://host.tld[:port][/path?query#fragment], no spaces; the host needs a dot.
_URL = re.compile(r"(?i:https?)://[^\s/?#@:|]+\.[^\s/?#@:|.]+(?::\d{1,5})?(?:[/?#][^\s|]*)?")
_URLS = re.compile(f"{_URL.pattern}(?:\\|{_URL.pattern}){{0,{MAX_IMAGES - 1}}}")


def parse_image_urls(text: str) -> list[str]:
    """Zero to ten http(s) URLs separated by `|`, spaces or new lines."""
    if not text:
        return []
    if _URLS.fullmatch(text):  # the common case: one to ten URLs, checked in one pass
        return text.split("|")
    if " " in text or "\n" in text or "\t" in text or "\r" in text or "||" in text:
        urls = [url for url in _URL_SPLIT.split(text.strip()) if url]
    else:
        urls = [url for url in text.split("|") if url]
    if len(urls) > MAX_IMAGES:
        raise TableError("too_many", max=MAX_IMAGES, count=len(urls))
    for url in urls:
        if not _URL.fullmatch(url):
            raise TableError("invalid_url", value=url)
    return urls


# --- one record -----------------------------------------------------------------------------

# The card's texts (the SKU, the other required text, is checked on its own first).
CARD_TEXT_FIELDS = (
    ("title_uz", MAX_TITLE, True),
    ("title_ru", MAX_TITLE, True),
    ("description_uz", MAX_DESCRIPTION, False),
    ("description_ru", MAX_DESCRIPTION, False),
)
DIMENSIONS = ("length_mm", "width_mm", "height_mm")


LIST_COLUMNS = frozenset({"image_urls", "features_uz", "features_ru"})
MAX_GROUP = 64
FEATURE_FIELDS = ("features_uz", "features_ru")
_FEATURE_SPLIT = re.compile(r"[|\r\n]")


def features_split(text: str) -> list[str]:
    """A features cell: separated by `|` or new lines, trimmed, empty ones dropped."""
    if not text:
        return []
    if "|" not in text and "\n" not in text and "\r" not in text:
        text = text.strip()
        return [text] if text else []
    return [part.strip() for part in _FEATURE_SPLIT.split(text) if part.strip()]


# Stands for an integer too long to print (Python refuses to print more than 4,300 digits):
# more digits than any bound allows, so the rule says `out_of_range`.
_HUGE_NUMBER = "9" * 100


def _as_text(value: Any) -> str | None:
    """A value from the API as a cell's text; None for a kind no cell holds (a list, an
    object, true or false)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool | dict | list | tuple):
        return None
    if isinstance(value, int) and value.bit_length() > 300:
        return "-" + _HUGE_NUMBER if value < 0 else _HUGE_NUMBER
    return str(value)


def _list_as_text(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        items = [_as_text(item) for item in value]
        return None if None in items else "|".join(item or "" for item in items)
    return _as_text(value)


def validate_record(
    record: dict[str, Any], lookups: Lookups
) -> tuple[dict[str, Any] | None, list[Problem[str]]]:
    """Check one product (canonical column -> value as typed).

    Returns (model field values, problems); values is None when any problem is an error.
    Columns absent from `record` are treated as empty; values may be numbers (API), and the
    image URLs a list. Any other kind of value is `invalid_type`. Text gets the checks a file's
    cells get as they are read (`invisible_characters`, `cell_too_long`), as in the import.
    """
    texts: dict[str, str] = {}
    damage: list[Problem[str]] = []
    for name, value in record.items():
        text = _list_as_text(value) if name in LIST_COLUMNS else _as_text(value)
        if text is None:
            damage.append(Problem(name, "invalid_type"))
            text = ""
        texts[name] = text
    names = list(texts)
    for problem in cell_problems(list(texts.values())):
        if problem.column is not None:  # always a cell's index here
            damage.append(Problem(names[problem.column], problem.code, problem.params))
    values, problems = validate_texts(texts, lookups)
    if not damage:
        return values, problems
    # As in the import: a damaged value is reported for its damage only, never quoted.
    flagged = {problem.column for problem in damage}
    return None, damage + [p for p in problems if p.column not in flagged]


# A card's values, the same on every variant of it (catalog.cards); the cells a file gives them
# in, brand and category by name and code.
CARD_FIELDS = (
    "title_uz",
    "title_ru",
    "description_uz",
    "description_ru",
    "features_uz",
    "features_ru",
    "brand_id",
    "category_id",
    "image_urls",
)
CARD_TEXTS = tuple(name.removesuffix("_id") for name in CARD_FIELDS)


class CardMemo:
    """The last row's card cells and the values the rules made of them, kept when the rules
    found nothing to say about them: the next row with the same cells (the next variant of
    the card) takes those values as they are and has only its own cells checked. Rows with
    a group only (a card's variants). One per file; `serial` changes whenever the card cells
    do (catalog.importing.variants)."""

    __slots__ = ("serial", "texts", "values")

    def __init__(self) -> None:
        self.texts: tuple[str, ...] | None = None
        self.values: dict[str, Any] = {}
        self.serial = 0


def validate_texts(
    record: dict[str, str], lookups: Lookups, memo: CardMemo | None = None
) -> tuple[dict[str, Any] | None, list[Problem[str]]]:
    """`validate_record` for a row read from a file (every value a string).

    Written for speed (it runs once per row of files with a million rows): plain branches, the
    common case first. `memo`, one per file, keeps the last card's checked cells. Problems come
    in column order: SKU, card texts, brand, category, numbers and codes, photos, group,
    features, then the title warnings.
    """
    problems: list[Problem[str]] = []
    values: dict[str, Any] = {}
    get = record.get
    sku = get("sku", "").strip()
    if not sku:
        problems.append(Problem("sku", "required"))
    elif len(sku) > MAX_SKU:
        problems.append(Problem("sku", "too_long", {"max": MAX_SKU, "length": len(sku)}))
    values["sku"] = sku
    if memo is not None and get("group"):  # a card's variants follow each other
        texts = tuple([get(name, "") for name in CARD_TEXTS])
        if texts == memo.texts:
            values.update(memo.values)
            _variant_texts(get, values, problems)
            _group_text(get, values, problems)
        else:
            memo.serial += 1
            before = len(problems)
            _row_texts(get, lookups, values, problems)
            if len(problems) == before:
                memo.texts = texts
                memo.values = {name: values[name] for name in CARD_FIELDS}
            else:
                memo.texts = None
    else:
        _row_texts(get, lookups, values, problems)
    if problems and any(p.severity == "error" for p in problems):
        return None, problems
    return values, problems


def _row_texts(get: Any, lookups: Lookups, values: dict[str, Any], problems: list) -> None:
    """A row's cells but its SKU: the card's, with the variant's own in column order."""
    for name, max_length, required in CARD_TEXT_FIELDS:
        value = get(name, "").strip()
        if not value:
            if required:
                problems.append(Problem(name, "required"))
        elif len(value) > max_length:
            problems.append(Problem(name, "too_long", {"max": max_length, "length": len(value)}))
        values[name] = value

    brand = get("brand", "").strip()
    brand_id = lookups.brands.get(brand.lower()) if brand else None
    if brand_id is None:
        if brand and brand.lower() in lookups.pending_brands:
            problems.append(Problem("brand", "brand_pending", {"value": brand}))
        elif brand:
            problems.append(
                Problem("brand", "unknown_brand", {"value": brand, "brands": lookups.brand_names})
            )
        else:
            problems.append(Problem("brand", "required"))
    values["brand_id"] = brand_id

    category = get("category", "").strip()
    found = lookups.categories.get(category)
    if not category:
        problems.append(Problem("category", "required"))
    elif found is None:
        problems.append(Problem("category", "unknown_category", {"value": category}))
    elif not found[1]:
        problems.append(Problem("category", "not_leaf_category", {"value": category}))
    values["category_id"] = found[0] if found else None

    _variant_texts(get, values, problems)

    try:
        values["image_urls"] = parse_image_urls(get("image_urls", ""))
    except TableError as error:
        problems.append(Problem("image_urls", error.code, error.params))
        values["image_urls"] = []

    _group_text(get, values, problems)

    for name in FEATURE_FIELDS:
        text = get(name, "")
        if len(text) > MAX_DESCRIPTION:
            problems.append(
                Problem(name, "too_long", {"max": MAX_DESCRIPTION, "length": len(text)})
            )
        values[name] = features_split(text)

    for name in ("title_uz", "title_ru"):
        title = values[name]
        if title and not title_style_ok(title):
            problems.append(Problem(name, "title_style", {}, "warning"))


def _group_text(get: Any, values: dict[str, Any], problems: list) -> None:
    group = get("group", "").strip()
    if len(group) > MAX_GROUP:
        problems.append(Problem("group", "too_long", {"max": MAX_GROUP, "length": len(group)}))
    values["group"] = group


def _variant_texts(get: Any, values: dict[str, Any], problems: list) -> None:
    """A variant's own cells: price, stock, codes, weight and sides."""
    text = get("price_uzs", "").strip()
    price = None
    if not text:
        problems.append(Problem("price_uzs", "required"))
    else:
        try:
            price = parse_som(text, bounds=PRICE_BOUNDS)
        except TableError as error:
            problems.append(Problem("price_uzs", error.code, error.params))
        else:
            if price <= 0:
                problems.append(Problem("price_uzs", "not_positive", {"value": price}))
            elif price > PRICE_BOUNDS.maximum:
                problems.append(_out_of_range("price_uzs", PRICE_BOUNDS))
                price = None
    values["price_uzs"] = price

    text = get("stock", "").strip()
    stock = None
    if not text:
        problems.append(Problem("stock", "required"))
    else:
        try:
            stock = parse_whole_number(text, bounds=STOCK_BOUNDS)
        except TableError as error:
            problems.append(Problem("stock", error.code, error.params))
        else:
            if stock < 0:
                problems.append(Problem("stock", "negative", {"value": stock}))
            elif stock > STOCK_BOUNDS.maximum:
                problems.append(_out_of_range("stock", STOCK_BOUNDS))
                stock = None
    values["stock"] = stock

    try:
        values["barcode"] = parse_barcode(get("barcode", "").strip())
    except TableError as error:
        problems.append(Problem("barcode", error.code, error.params))
        values["barcode"] = None

    text = get("ikpu", "").strip()
    values["ikpu"] = None
    if not text:
        problems.append(Problem("ikpu", "required"))
    else:
        try:
            values["ikpu"] = parse_ikpu(text)
        except TableError as error:
            problems.append(Problem("ikpu", error.code, error.params))

    text = get("weight_g", "").strip()
    weight = None
    if not text:
        problems.append(Problem("weight_g", "required"))
    else:
        try:
            weight = parse_whole_number(text, bounds=WEIGHT_BOUNDS)
        except TableError as error:
            problems.append(Problem("weight_g", error.code, error.params))
        else:
            if weight <= 0:
                problems.append(Problem("weight_g", "not_positive", {"value": weight}))
            elif weight > MAX_WEIGHT_G:
                problems.append(
                    Problem("weight_g", "too_heavy", {"value": weight, "max": MAX_WEIGHT_G})
                )
    values["weight_g"] = weight

    for name in DIMENSIONS:
        text = get(name, "").strip()
        size = None
        if text:
            bounds = NUMBER_BOUNDS[name]
            try:
                size = parse_whole_number(text, bounds=bounds)
            except TableError as error:
                problems.append(Problem(name, error.code, error.params))
            else:
                if size <= 0:
                    problems.append(Problem(name, "not_positive", {"value": size}))
                elif size > bounds.maximum:
                    problems.append(_out_of_range(name, bounds))
                    size = None
        values[name] = size


def _out_of_range(name: str, bounds: Bounds) -> Problem[str]:
    return Problem(name, "out_of_range", bounds.params)
