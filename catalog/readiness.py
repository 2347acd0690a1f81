"""The card readiness rules: is a card what the marketplace accepts, and if not, what to fix.

One pure function, `readiness_check(card)`, over a plain mapping of the card's values, so every
write (import, API, web form) runs the same rules without a query. Each rule, with its source:

- `title_words`: a title (uz or ru) has fewer than 3 words. Uzum seller manual, 5.3 "Tovar
  nomi": type + brand + model + key property, "kamida uchta so'zdan iborat".
- `title_capital`: a title does not start with a capital. Uzum seller manual, 5.3: "Bosh harf
  bilan boshlanishi".
- `uz_cyrillic`: the Uzbek title, description or features are in Cyrillic. Uzum seller manual,
  5.3 and 5.9: Uzbek texts "lotin alifbosida", Russian in Cyrillic.
- `ru_missing`: the Russian title is empty, or the Russian description of a card that has an
  Uzbek one. Uzum seller manual, 5.3 and its description sections: both languages.
- `features_count`: fewer than 3 features in either language. Uzum seller manual, 5.9
  "Mahsulot xususiyatlari": "kamida 3 xususiyat", in both languages.
- `no_images`: no photo; the message recommends 3 or more. Issue 13 (cards need photos).
- `attribute_missing`: a characteristic the category requires is empty (field = its code).
  The category's characteristics (issue 13, `CategoryAttribute.required`).
- `dimensions_missing`: the length, width, height or weight is missing (one issue each). Uzum
  fulfilment: the packed size and weight decide storage and logistics fees.
- `too_large`: height above 500 mm, footprint beyond 1200 × 800 mm, weight above 50 kg. Uzum
  fulfilment limits for small and medium goods ("maximum height of 50 cm, length and width not
  exceeding 120 cm x 80 cm, maximum weight of 50 kg", chaika.uz/en/marketplace/uzum).
- `value_density`: price / packed volume below 5,000,000 so'm per m³. Uzum fulfilment ("the
  total retail value of goods in 1 cubic metre must be at least 5,000,000 soums", same page).
- `forbidden_category`: the category, or one of its ancestors, is on the forbidden list (Uzum
  forbids counterfeits, alcohol, tobacco, 18+ goods, pyrotechnics, medicines and more).

Decisions where the rules are silent:
- Limits are inclusive: exactly 500 mm, 1200×800 mm, 50,000 g and 5,000,000 so'm/m³ pass.
- Height is the side the seller calls height (the product stands on its shelf that way); the
  footprint may be turned on the shelf, so its longer side is compared with 1200 mm and its
  shorter side with 800 mm (800×1200 fits, 900×900 does not).
- A title's capital is checked on its first letter or digit, after opening quotes or brackets;
  a title that starts with a digit or with a caseless letter (Chinese) passes.
- Words are whitespace-separated tokens with at least one letter or digit (a lone dash is not one).
- One image or two is ready (the `no_images` message recommends three or more).
- Value density is checked only when the price and all three sides are known.

A message is rendered in the active language when it is read (`Issue.message`), so a stored
readiness (`Readiness.to_json()`, codes and parameters) is shown in each reader's language.
"""

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.attribute_values import params_in_language
from catalog.importing.columns import COLUMNS_BY_NAME
from catalog.importing.rows import features_split
from catalog.transliteration import is_uzbek_cyrillic, uz_cyrillic_to_latin

READY = "ready"
NEEDS_FIXES = "needs_fixes"

MIN_TITLE_WORDS = 3
MIN_FEATURES = 3
RECOMMENDED_IMAGES = 3
MAX_HEIGHT_MM = 500
MAX_FOOTPRINT_MM = (1200, 800)  # longer side, shorter side
MAX_WEIGHT_G = 50_000
MIN_VALUE_PER_M3_UZS = 5_000_000
MM3_PER_M3 = 1000**3
SIZE_FIELDS = ("length_mm", "width_mm", "height_mm", "weight_g")
UZ_TEXT_FIELDS = ("title_uz", "description_uz", "features_uz")


@dataclass(frozen=True)
class Rule:
    code: str
    label: Promise  # short, for filters and the dashboard
    message: Promise  # what is wrong and how to fix it, with %(name)s parameters
    # The message for an issue of a kind (too_large: height, footprint, weight).
    kinds: Mapping[str, Promise] = dataclasses.field(default_factory=dict)


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.code: rule for rule in rules}


RULES: dict[str, Rule] = _rules(
    Rule(
        "title_words",
        _("Title too short"),
        _(
            "%(field)s has %(count)s of the %(min)s words a marketplace title needs. Name the "
            "product type, the brand and a key property, e.g. “Wireless earbuds Xiaomi Buds 4”."
        ),
    ),
    Rule(
        "title_capital",
        _("Title without a capital letter"),
        _("%(field)s must start with a capital letter: “%(suggestion)s”."),
    ),
    Rule(
        "uz_cyrillic",
        _("Uzbek text in Cyrillic"),
        _(
            "%(field)s is written in Cyrillic; the marketplace accepts Uzbek only in the Latin "
            "alphabet. Transliterate it, e.g. “%(suggestion)s”."
        ),
    ),
    Rule(
        "ru_missing",
        _("Russian text missing"),
        _("%(field)s is empty: the marketplace shows every card in Russian too. Add it."),
    ),
    Rule(
        "features_count",
        _("Fewer than 3 features"),
        _(
            "%(field)s: %(count)s of the %(min)s features a card needs. Add short facts a buyer "
            "compares (material, size, what is in the box), separated by “|” or new lines."
        ),
    ),
    Rule(
        "no_images",
        _("No photos"),
        _(
            "The card has no photo. Add image URLs: at least one, and %(recommended)s or more "
            "from different angles are recommended."
        ),
    ),
    Rule(
        "attribute_missing",
        _("Required characteristic missing"),
        _(
            "The category requires the characteristic “%(attribute)s”. Fill in its column; the "
            "category's template lists the valid values."
        ),
    ),
    Rule(
        "dimensions_missing",
        _("Size or weight missing"),
        _(
            "%(field)s is missing: the warehouse needs the packed length, width and height in "
            "millimetres and the weight in grams."
        ),
    ),
    Rule(
        "too_large",
        _("Too large or heavy for the warehouse"),
        _("The package is beyond the warehouse limits. Check its packed size and weight."),
        {
            "height": _(
                "%(field)s is %(value)s mm, above the warehouse limit of %(max)s mm. Check the "
                "packed height."
            ),
            "footprint": _(
                "The package's footprint of %(length)s × %(width)s mm does not fit the "
                "warehouse limit of %(max_length)s × %(max_width)s mm, however it is turned. "
                "Check the packed length and width."
            ),
            "weight": _(
                "%(field)s is %(value)s g, above the warehouse limit of %(max)s g. Check the "
                "packed weight."
            ),
        },
    ),
    Rule(
        "value_density",
        _("Value too low for its volume"),
        _(
            "The price is %(density)s so'm per cubic metre of the package, below the "
            "marketplace's minimum of %(min)s so'm per m³. Check the price and the dimensions, "
            "or sell the product in a bundle."
        ),
    ),
    Rule(
        "forbidden_category",
        _("Category not allowed"),
        _(
            "Products of category “%(category)s” cannot be sold on the marketplace. Choose the "
            "right category, or leave this product out of the catalog."
        ),
    ),
)
CODES = tuple(RULES)

# Fields the catalog columns do not name (yet).
_FIELD_LABELS: dict[str, Promise] = {
    "features_uz": _("Features (Uzbek)"),
    "features_ru": _("Features (Russian)"),
}


def field_label(name: str) -> str:
    """A field's name for people, in the active language."""
    column = COLUMNS_BY_NAME.get(name)
    label = column.label if column else _FIELD_LABELS.get(name, name)
    return str(label)


class Issue(NamedTuple):
    """One thing to fix (a named tuple: the import makes one or more for most rows)."""

    code: str
    field: str
    params: dict[str, Any] = {}  # noqa: RUF012 (never changed in place)
    kind: str = ""  # which message of the rule, when it has several

    @property
    def message(self) -> str:
        rule = RULES[self.code]
        params = {"field": field_label(self.field)}
        for name, value in params_in_language(self.params).items():
            # 5 000 000 or 5,000,000, as the reader's language groups digits
            grouped = isinstance(value, int) and not isinstance(value, bool)
            params[name] = number_format(value, force_grouping=True) if grouped else value
        return str(rule.kinds.get(self.kind, rule.message)) % params

    def as_dict(self) -> dict[str, str]:
        """The API shape: `{code, field, message}`, the message in the active language."""
        return {"code": self.code, "field": self.field, "message": self.message}

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "params": self.params, "kind": self.kind}


@dataclass(frozen=True)
class Readiness:
    issues: tuple[Issue, ...] = ()

    @property
    def state(self) -> str:
        return NEEDS_FIXES if self.issues else READY

    @property
    def codes(self) -> list[str]:
        """The distinct issue codes in rule order (what a list filters and a dashboard counts)."""
        found = {issue.code for issue in self.issues}
        return [code for code in CODES if code in found]

    def as_dict(self) -> dict[str, Any]:
        """The API shape: `{state, issues: [{code, field, message}]}`."""
        return {"state": self.state, "issues": [issue.as_dict() for issue in self.issues]}

    def to_json(self) -> dict[str, Any]:
        """What to store: codes and parameters, rendered again in each reader's language."""
        return {"state": self.state, "issues": [issue.to_json() for issue in self.issues]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "Readiness":
        issues = (data or {}).get("issues") or []
        return cls(
            tuple(
                Issue(
                    item["code"],
                    item["field"],
                    dict(item.get("params") or {}),
                    item.get("kind") or "",
                )
                for item in issues
                if item.get("code") in RULES
            )
        )


# --- values ---------------------------------------------------------------------------------

_IMAGE_SPLIT = re.compile(r"[|\s]+")
_WORD = re.compile(r"\w")  # a token with a letter or digit counts as a word


def _text(card: Mapping[str, Any], name: str) -> str:
    value = card.get(name)
    return value.strip() if type(value) is str or isinstance(value, str) else ""


def _items(value: Any, split: Any) -> list[str]:
    """A list field given as a list or as its file text."""
    if type(value) is list and all(type(item) is str and item for item in value):
        return value  # the stored shape, as the import and the API write it: no copy
    if isinstance(value, str):
        return split(value)
    if isinstance(value, list | tuple | set | frozenset) or isinstance(value, Iterable):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return []


def _number(card: Mapping[str, Any], name: str) -> int | float | None:
    """A size or price above zero; anything else (None, text, true/false) is missing."""
    value = card.get(name)
    if type(value) is int:
        return value if value > 0 else None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or value <= 0:
        return None
    return value if isinstance(value, int) else float(value)


def title_word_count(title: str, enough: int = MIN_TITLE_WORDS) -> int:
    """The title's words, counted up to `enough` (a long title stops early)."""
    count = 0
    for token in title.split():
        if _WORD.search(token):
            count += 1
            if count >= enough:
                break
    return count


def title_starts_lower(title: str) -> bool:
    """True when the title's first letter is lower case; digits and caseless scripts pass."""
    for char in title:
        if char.isalnum():
            return char.islower()
    return False


def _capitalised(title: str) -> str:
    for index, char in enumerate(title):
        if char.isalnum():
            return title[:index] + char.upper() + title[index + 1 :]
    return title


def _suggestion(text: str, limit: int = 80) -> str:
    latin = uz_cyrillic_to_latin(text)
    return latin if len(latin) <= limit else latin[: limit - 1].rstrip() + "…"


def _is_blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | dict) and not value)


# --- rules ----------------------------------------------------------------------------------
#
# A check is two steps: `readiness_facts` reads the card and keeps only what the rules decide on
# (None where a rule passes, else what its message needs), and `readiness_of` turns the facts
# into issues. Facts are a small hashable tuple, the same for most rows of a catalogue, so an
# import checks each row's facts and builds the issues of each distinct set once.


def _title_fact(title: str) -> tuple[int | None, str | None] | None:
    """None for a good title, else (words when too few, suggestion when lower case)."""
    first = title[:1]
    if first.isalpha() and first.isupper() and title.count(" ") >= 2:
        # The common case: a capital, then whitespace-separated words with letters.
        parts = title.split(None, 3)
        if len(parts) >= 3 and all(part.isalnum() for part in parts[:3]):
            return None
    words = title_word_count(title)
    lower = title_starts_lower(title)
    if words >= MIN_TITLE_WORDS and not lower:
        return None
    return (
        words if words < MIN_TITLE_WORDS else None,
        _capitalised(title) if lower else None,
    )


def _cyrillic_fact(value: Any) -> str | None:
    """The Latin suggestion for an Uzbek text in Cyrillic, else None."""
    if not value:
        return None
    text = value if isinstance(value, str) else " | ".join(_items(value, features_split))
    if not text.isascii() and is_uzbek_cyrillic(text):
        return _suggestion(text.strip())
    return None


def _few(count: int) -> int | None:
    return count if count < MIN_FEATURES else None


def _footprint_fact(length: float, width: float) -> tuple[str, float, float] | None:
    """The footprint turns on the shelf: its longer side against 1200, its shorter against 800;
    (the first side over, length, width) when it does not fit."""
    max_longer, max_shorter = MAX_FOOTPRINT_MM
    if length <= max_shorter and width <= max_shorter:
        return None
    longer, shorter = ("length_mm", "width_mm") if length >= width else ("width_mm", "length_mm")
    sides = {"length_mm": length, "width_mm": width}
    for name, limit in ((longer, max_longer), (shorter, max_shorter)):
        if sides[name] > limit:
            return (name, length, width)
    return None


def card_facts(card: Mapping[str, Any]) -> tuple:
    """What the rules decide on among a card's shared values (texts, features, photos): the
    same for every variant of a card."""
    title_uz = _text(card, "title_uz")
    title_ru = _text(card, "title_ru")
    return (
        _title_fact(title_uz),
        _title_fact(title_ru) if title_ru else None,  # ru_missing says an empty one
        tuple(_cyrillic_fact(card.get(name)) for name in UZ_TEXT_FIELDS),
        not title_ru,
        bool(_text(card, "description_uz")) and not _text(card, "description_ru"),
        _few(len(_items(card.get("features_uz"), features_split))),
        _few(len(_items(card.get("features_ru"), features_split))),
        bool(_items(card.get("image_urls"), _image_split)),
    )


def _size(card: Mapping[str, Any], name: str) -> int | float | None:
    value = card.get(name)
    return value if type(value) is int and value > 0 else _number(card, name)


def variant_facts(card: Mapping[str, Any], required: Iterable[str] = ()) -> tuple:
    """What the rules decide on among a variant's own values (characteristics, size, price)."""
    attributes = card.get("attributes") or {}
    missing: tuple[str, ...] = ()
    for code in required:
        value = attributes.get(code)
        if value is None or _is_blank(value):
            missing += (code,)
    length = _size(card, "length_mm")
    width = _size(card, "width_mm")
    height = _size(card, "height_mm")
    weight = _size(card, "weight_g")
    price = _size(card, "price_uzs")
    density = None
    if price is not None and length and width and height:
        volume_mm3 = length * width * height
        # price / (volume_mm3 / 1e9) < minimum, without dividing
        if price * MM3_PER_M3 < MIN_VALUE_PER_M3_UZS * volume_mm3:
            density = int(price * MM3_PER_M3 // volume_mm3)
    return (
        missing,
        (length is None, width is None, height is None, weight is None),
        height if height is not None and height > MAX_HEIGHT_MM else None,
        _footprint_fact(length, width) if length is not None and width is not None else None,
        weight if weight is not None and weight > MAX_WEIGHT_G else None,
        density,
    )


def readiness_facts(card: Mapping[str, Any], required: Iterable[str] = ()) -> tuple:
    """What the rules decide on, read from a card (see `readiness_check` for its keys): None
    where a rule passes, else what its message needs."""
    return card_facts(card) + variant_facts(card, required)


def _image_split(text: str) -> list[str]:
    return [url for url in _IMAGE_SPLIT.split(text) if url]


def category_forbidden(category: str, forbidden: Iterable[str]) -> bool:
    """True when the category or one of its ancestors (dotted codes) is forbidden."""
    return any(category == code or category.startswith(f"{code}.") for code in forbidden if code)


def readiness_of(
    facts: tuple,
    *,
    category: str = "",
    forbidden: Iterable[str] = (),
    names: Mapping[str, Any] | None = None,
) -> Readiness:
    """The issues of a card's facts (`readiness_facts`), in rule order."""
    (
        title_uz,
        title_ru,
        cyrillic,
        ru_title_missing,
        ru_description_missing,
        features_uz,
        features_ru,
        has_images,
        attributes_missing,
        sizes_missing,
        height,
        footprint,
        weight,
        density,
    ) = facts
    issues: list[Issue] = []
    for name, title in (("title_uz", title_uz), ("title_ru", title_ru)):
        if title is not None:
            words, suggestion = title
            if words is not None:
                issues.append(Issue("title_words", name, {"count": words, "min": MIN_TITLE_WORDS}))
            if suggestion is not None:
                issues.append(Issue("title_capital", name, {"suggestion": suggestion}))
    for name, suggestion in zip(UZ_TEXT_FIELDS, cyrillic, strict=True):
        if suggestion is not None:
            issues.append(Issue("uz_cyrillic", name, {"suggestion": suggestion}))
    if ru_title_missing:
        issues.append(Issue("ru_missing", "title_ru"))
    if ru_description_missing:
        issues.append(Issue("ru_missing", "description_ru"))
    for name, count in (("features_uz", features_uz), ("features_ru", features_ru)):
        if count is not None:
            issues.append(Issue("features_count", name, {"count": count, "min": MIN_FEATURES}))
    if not has_images:
        issues.append(Issue("no_images", "image_urls", {"recommended": RECOMMENDED_IMAGES}))
    for code in attributes_missing:
        # The name as given: text, or {language: name} worded when read.
        issues.append(
            Issue("attribute_missing", code, {"attribute": (names or {}).get(code) or code})
        )
    for name, missing in zip(SIZE_FIELDS, sizes_missing, strict=True):
        if missing:
            issues.append(Issue("dimensions_missing", name))
    if height is not None:
        issues.append(
            Issue("too_large", "height_mm", {"value": height, "max": MAX_HEIGHT_MM}, "height")
        )
    if footprint is not None:
        side, length, width = footprint
        max_longer, max_shorter = MAX_FOOTPRINT_MM
        params = {
            "length": length,
            "width": width,
            "max_length": max_longer,
            "max_width": max_shorter,
        }
        issues.append(Issue("too_large", side, params, "footprint"))
    if weight is not None:
        issues.append(
            Issue("too_large", "weight_g", {"value": weight, "max": MAX_WEIGHT_G}, "weight")
        )
    if density is not None:
        issues.append(
            Issue("value_density", "price_uzs", {"density": density, "min": MIN_VALUE_PER_M3_UZS})
        )
    if category and category_forbidden(category, forbidden):
        issues.append(Issue("forbidden_category", "category", {"category": category}))
    return Readiness(tuple(issues))


def readiness_check(
    card: Mapping[str, Any],
    *,
    category: str | None = None,
    forbidden: Iterable[str] | None = None,
    required: Iterable[str] | None = None,
    names: Mapping[str, Any] | None = None,
) -> Readiness:
    """Check a card against every rule; its values are those of the product contract.

    Keys: title_uz, title_ru, description_uz, description_ru, features_uz, features_ru (lists,
    or file text), image_urls (a list), attributes ({code: value}), required_attributes (codes),
    attribute_names ({code: name in the active language}, optional), length_mm, width_mm,
    height_mm, weight_g, price_uzs, category (a code) and forbidden_categories (codes).
    Missing keys count as empty values. The keyword arguments, when given, stand for the last
    four keys (so a caller with the product's values need not copy them into a new mapping).
    """
    facts = readiness_facts(
        card, card.get("required_attributes") or () if required is None else required
    )
    return readiness_of(
        facts,
        category=_text(card, "category") if category is None else category,
        forbidden=card.get("forbidden_categories") or () if forbidden is None else forbidden,
        names=card.get("attribute_names") or {} if names is None else names,
    )
