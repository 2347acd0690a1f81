"""Cards: what readiness and the characteristics need to know, loaded once for many rows.

Every write (import, API, web form, the transliteration action) checks a product with
`product_readiness(values, rules)` and stores the outcome on the product (`readiness_state`,
`readiness_issues`), so lists filter on it without a second pass over the catalog. `CardRules`
holds the category characteristics and the forbidden categories, loaded in a fixed number of
queries (`card_rules_load`), so an import of a million rows checks them from memory.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from catalog.attribute_values import (
    BOOLEAN_ALLOWED,
    LANGUAGES,
    OptionIndex,
    attribute_header_index,
    attribute_pick,
    fold,
    parse_attribute_value,
)
from catalog.importing.rows import CARD_FIELDS
from catalog.models import Attribute, AttributeOption, Category, CategoryAttribute, Product
from catalog.readiness import Readiness, readiness_facts, readiness_of
from catalog.transliteration import is_uzbek_cyrillic, uz_cyrillic_to_latin
from portal.tabular import Problem, TableError

UZ_TEXT_FIELDS = ("title_uz", "description_uz")


@dataclass(frozen=True)
class AttributeSpec:
    """One characteristic, ready for many cells."""

    code: str
    type: str
    unit: str
    names: dict[str, str]  # language -> name
    options: OptionIndex
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # option -> language -> name

    def value_label(self, value: Any) -> Any:
        """A stored value as people read it: an option by its names ({language: name})."""
        if self.type == "enum" and isinstance(value, str) and value in self.labels:
            return self.labels[value]
        return value

    @property
    def name_en(self) -> str:
        return self.names["en"]

    @property
    def name_ru(self) -> str:
        return self.names["ru"]

    @property
    def name_uz(self) -> str:
        return self.names["uz"]

    @property
    def name_zh(self) -> str:
        return self.names["zh"]


@dataclass(frozen=True)
class CategoryRules:
    """What readiness asks of a leaf category's cards."""

    code: str
    forbidden: bool  # the category or one of its ancestors
    attributes: tuple[str, ...] = ()  # codes, in position order
    required: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()


@dataclass
class CardRules:
    categories: dict[int, CategoryRules] = field(default_factory=dict)
    attributes: dict[str, AttributeSpec] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> {language: name}

    def header_index(self) -> dict[str, tuple[AttributeSpec, ...]]:
        """Folded header (code or name in any language) -> the characteristics it may name
        (the row's category picks one: `attribute_pick`)."""
        return attribute_header_index(self.attributes.values())

    def for_category(self, category_id: int | None) -> CategoryRules | None:
        return self.categories.get(category_id) if category_id is not None else None


def card_rules_load() -> CardRules:
    """The category characteristics and the forbidden categories: four queries."""
    rules = CardRules()
    options: dict[int, list[Any]] = {}
    for option in AttributeOption.objects.order_by("attribute_id", "position", "id"):
        options.setdefault(option.attribute_id, []).append(option)
    by_id: dict[int, AttributeSpec] = {}
    for attribute in Attribute.objects.all():
        spec = AttributeSpec(
            code=attribute.code,
            type=attribute.type,
            unit=attribute.unit,
            names={lang: getattr(attribute, f"name_{lang}") for lang in LANGUAGES},
            options=OptionIndex.build(options.get(attribute.pk, [])),
            labels={
                option.code: {lang: getattr(option, f"name_{lang}") for lang in LANGUAGES}
                for option in options.get(attribute.pk, [])
            },
        )
        by_id[attribute.pk] = spec
        rules.attributes[attribute.code] = spec
        rules.names[attribute.code] = spec.names
    links: dict[int, list[CategoryAttribute]] = {}
    for link in CategoryAttribute.objects.order_by("category_id", "position", "id"):
        links.setdefault(link.category_id, []).append(link)
    categories = list(Category.objects.values_list("pk", "code", "forbidden"))
    forbidden = [code for _pk, code, is_forbidden in categories if is_forbidden]
    for pk, code, _is_forbidden in categories:
        own = links.get(pk, [])
        rules.categories[pk] = CategoryRules(
            code=code,
            forbidden=any(code == f or code.startswith(f + ".") for f in forbidden),
            attributes=tuple(by_id[link.attribute_id].code for link in own),
            required=tuple(
                by_id[link.attribute_id].code for link in own if link.required or link.variant_axis
            ),
            axes=tuple(by_id[link.attribute_id].code for link in own if link.variant_axis),
        )
    return rules


# --- characteristics ------------------------------------------------------------------------


def attributes_parse(
    raw: Mapping[str, Any], category: CategoryRules | None, rules: CardRules
) -> tuple[dict[str, Any], list[Problem[str]]]:
    """Values of characteristics sent by code or name ({attribute: value as typed}) as stored.

    Problems name the attribute's code as the column: `unknown_value`, `invalid_number`,
    `too_long`, and `unknown_attribute` for a name that is no characteristic of the category.
    """
    index = rules.header_index()
    values: dict[str, Any] = {}
    problems: list[Problem[str]] = []
    allowed = set(category.attributes) if category else set()
    for name, value in raw.items():
        candidates = index.get(fold(str(name)))
        spec = attribute_pick(candidates, allowed) if candidates else None
        if spec is None or spec.code not in allowed:
            problems.append(Problem(str(name), "unknown_attribute", {"value": str(name)}))
            continue
        if value is None or value == "":
            continue
        text = _cell_text(value)
        try:
            parsed = attribute_value_parse(spec, text)
        except TableError as error:
            problems.append(Problem(spec.code, error.code, error.params))
            continue
        if parsed is not None:
            values[spec.code] = parsed
    return values, problems


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def attribute_value_parse(spec: AttributeSpec, text: str) -> Any:
    """One cell of a characteristic as stored; TableError with the allowed values in every
    language (the message shows the reader's)."""
    try:
        return parse_attribute_value(spec, text, spec.options)  # type: ignore[arg-type]
    except TableError as error:
        if error.code == "unknown_value":
            error.params["attribute"] = spec.names
            error.params["allowed"] = _allowed(spec)
        raise


def _allowed(spec: AttributeSpec) -> dict[str, str]:
    if spec.type == "boolean":
        return dict(BOOLEAN_ALLOWED)
    return {lang: ", ".join(spec.options.names.get(lang, ())) for lang in LANGUAGES}


# --- Uzbek in Latin -------------------------------------------------------------------------


def uzbek_transliterate(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Write the Uzbek texts of a product's values in Latin where they are Cyrillic; returns
    (field, original text) for each one changed (the `transliterated` warning keeps it)."""
    changed: list[tuple[str, str]] = []
    for name in UZ_TEXT_FIELDS:
        text = values.get(name)
        if text and not text.isascii() and is_uzbek_cyrillic(text):
            values[name] = uz_cyrillic_to_latin(text)
            changed.append((name, text))
    features = values.get("features_uz")
    if features and any(not f.isascii() and is_uzbek_cyrillic(f) for f in features):
        values["features_uz"] = [uz_cyrillic_to_latin(f) for f in features]
        changed.append(("features_uz", " | ".join(features)))
    return changed


# --- readiness ------------------------------------------------------------------------------


def readiness_arguments(category: CategoryRules | None, rules: CardRules) -> dict[str, Any]:
    """What `readiness_of` needs to know of a product's category (none for no category)."""
    if category is None:
        return {"category": "", "forbidden": (), "names": {}}
    return {
        "category": category.code,
        "forbidden": (category.code,) if category.forbidden else (),
        "names": rules.names,
    }


def product_readiness(values: Mapping[str, Any], rules: CardRules) -> Readiness:
    """The readiness of a product from its model field values (category_id, brand_id...)."""
    category = rules.for_category(values.get("category_id"))
    facts = readiness_facts(values, category.required if category else ())
    return readiness_of(facts, **readiness_arguments(category, rules))


def readiness_fields(readiness: Readiness) -> dict[str, Any]:
    """The product fields that store a readiness."""
    stored = readiness.to_json()
    return {"readiness_state": stored["state"], "readiness_issues": stored["issues"]}


def product_values(product: Product) -> dict[str, Any]:
    return {name: getattr(product, name) for name in (*CARD_FIELDS, *VARIANT_FIELDS)}


VARIANT_FIELDS = (
    "attributes",
    "price_uzs",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
)


def card_values_give(
    variants: list[Product], card: Mapping[str, Any], rules: CardRules, now: Any
) -> list[Product]:
    """Give variants of a card the card's values (CARD_FIELDS) where theirs differ, with their
    readiness checked again; saves and returns those that changed."""
    changed = []
    for variant in variants:
        fields = [name for name in CARD_FIELDS if getattr(variant, name) != card[name]]
        if not fields:
            continue
        for name in fields:
            setattr(variant, name, card[name])
        for name, value in readiness_fields(
            product_readiness(product_values(variant), rules)
        ).items():
            setattr(variant, name, value)
        variant.updated_at = now
        changed.append(variant)
    Product.objects.bulk_update(
        changed, [*CARD_FIELDS, "readiness_state", "readiness_issues", "updated_at"], batch_size=500
    )
    return changed


def card_values_spread_after_import(*, job_id: int, seller_id: int, rules: CardRules) -> int:
    """After an import wrote some variants of a card, its other variants (not in the file, or
    rejected) take the card values the file gave, as when the API changes a card: a card stays
    the same on every variant. Returns how many changed. The lookup finds only the seller's
    grouped products beside those the import wrote; a first import finds none."""
    written = Product.objects.filter(
        seller_id=seller_id, last_import_id=job_id, group=OuterRef("group")
    )
    others = (
        Product.objects.filter(seller_id=seller_id)
        .exclude(group="")
        .exclude(last_import_id=job_id)
        .filter(Exists(written))
        .order_by("group", "pk")
    )
    count = 0
    now = timezone.now()
    batch: list[Product] = []
    for variant in others.iterator(chunk_size=500):
        batch.append(variant)
        if len(batch) >= 500:
            count += _spread(batch, seller_id, job_id, rules, now)
            batch = []
    if batch:
        count += _spread(batch, seller_id, job_id, rules, now)
    return count


def _spread(batch: list[Product], seller_id: int, job_id: int, rules: CardRules, now: Any) -> int:
    groups = {variant.group for variant in batch}
    cards: dict[str, dict[str, Any]] = {}
    for values in (
        Product.objects.filter(seller_id=seller_id, last_import_id=job_id, group__in=groups)
        .order_by("group", "pk")
        .values("group", *CARD_FIELDS)
    ):
        cards.setdefault(values["group"], values)
    changed = 0
    by_group: dict[str, list[Product]] = {}
    for variant in batch:
        by_group.setdefault(variant.group, []).append(variant)
    for group, variants in by_group.items():
        changed += len(card_values_give(variants, cards[group], rules, now))
    return changed


def readiness_refresh(
    products: QuerySet[Product] | Iterable[Product],
    *,
    batch: int = 1000,
    rules: CardRules | None = None,
) -> int:
    """Check the products again and store what changed (after a characteristic or a category
    changed in the admin, or for products stored before readiness existed, or kept card values
    after an import). Returns how many. `rules`: the caller's, when it has them loaded."""
    rules = rules or card_rules_load()
    changed: list[Product] = []
    count = 0
    with transaction.atomic():
        for product in (
            products.iterator(chunk_size=batch) if isinstance(products, QuerySet) else products
        ):
            fields = readiness_fields(product_readiness(product_values(product), rules))
            if all(getattr(product, k) == v for k, v in fields.items()):
                continue
            for name, value in fields.items():
                setattr(product, name, value)
            changed.append(product)
            if len(changed) >= batch:
                count += Product.objects.bulk_update(changed, list(fields))
                changed = []
        if changed:
            count += Product.objects.bulk_update(changed, ["readiness_state", "readiness_issues"])
    return count
