"""Reads about cards: a seller's products grouped by card (their `group`, or the SKU of a card
of one variant). There is no card table: a card is computed from its variants, always scoped to
one seller, in a fixed number of queries whatever the catalog's size.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from catalog.models import Category, Product
from catalog.readiness import CODES, NEEDS_FIXES, READY, RULES, Issue, Readiness
from sellers.models import Brand, Seller

# A product's card: its group, or its own SKU.
CARD_KEY = Coalesce(NullIf(F("group"), Value("")), F("sku"))


@dataclass
class Card:
    """One card and its variants (ordered by SKU); card-level values are the first variant's."""

    key: str
    group: str  # "" for a card of one variant
    variants: list[Product] = field(default_factory=list)

    @property
    def first(self) -> Product:
        return self.variants[0]

    @property
    def title_uz(self) -> str:
        return self.first.title_uz

    @property
    def title_ru(self) -> str:
        return self.first.title_ru

    @property
    def title(self) -> str:
        """The title in the active language (as Product.title)."""
        return self.first.title

    @property
    def description_uz(self) -> str:
        return self.first.description_uz

    @property
    def description_ru(self) -> str:
        return self.first.description_ru

    @property
    def brand(self) -> Brand | None:
        return self.first.brand

    @property
    def category(self) -> Category:
        return self.first.category

    @property
    def image_urls(self) -> list[str]:
        return list(self.first.image_urls or [])

    @property
    def features_uz(self) -> list[str]:
        return list(self.first.features_uz or [])

    @property
    def features_ru(self) -> list[str]:
        return list(self.first.features_ru or [])

    @property
    def variant_count(self) -> int:
        return len(self.variants)

    @property
    def readiness(self) -> Readiness:
        """The variants' issues, each (code, field, kind) once: the card needs fixes when any
        variant does."""
        seen: set[tuple[str, str, str]] = set()
        issues: list[Issue] = []
        for variant in self.variants:
            for issue in variant_readiness(variant).issues:
                key = (issue.code, issue.field, issue.kind)
                if key not in seen:
                    seen.add(key)
                    issues.append(issue)
        return Readiness(tuple(issues))

    @property
    def state(self) -> str:
        return self.readiness.state


def variant_readiness(product: Product) -> Readiness:
    """A product's stored readiness (worded when a message is read)."""
    return Readiness.from_json({"issues": product.readiness_issues})


def _products(*, seller: Seller) -> QuerySet[Product]:
    return Product.objects.filter(seller=seller)


def card_list(
    *,
    seller: Seller,
    readiness: str | None = None,
    category: str | None = None,
    q: str | None = None,
) -> QuerySet[Any]:
    """The seller's cards, one row each ordered by key: `{"key", "variant_count",
    "needs_fixes"}` (variants that need fixes). Paginate it, then fetch a page's cards with
    `cards_for_keys`.

    `readiness` is `ready` (every variant ready) or `needs_fixes` (any variant not);
    `category` is a code, its descendants included; `q` finds cards with a variant whose SKU,
    title or barcode matches, or by card code.
    """
    products = _products(seller=seller)
    if category:
        code = str(category).strip()
        products = products.filter(
            Q(category__code=code) | Q(category__code__startswith=code + ".")
        )
    if q:
        q = q.strip()
        products = products.filter(
            Q(sku__icontains=q)
            | Q(title_uz__icontains=q)
            | Q(title_ru__icontains=q)
            | Q(barcode=q)
            | Q(group__icontains=q)
        )
    cards = (
        products.annotate(key=CARD_KEY)
        .values("key")
        .annotate(
            variant_count=Count("pk"),
            needs_fixes=Count("pk", filter=Q(readiness_state=NEEDS_FIXES)),
        )
        .order_by("key")
    )
    if readiness == READY:
        cards = cards.filter(needs_fixes=0)
    elif readiness == NEEDS_FIXES:
        cards = cards.filter(needs_fixes__gt=0)
    return cards


def cards_for_keys(*, seller: Seller, keys: Sequence[str]) -> list[Card]:
    """The cards of these keys with all their variants, in the keys' order (one query)."""
    keys = list(keys)
    if not keys:
        return []
    products = (
        _products(seller=seller)
        .filter(Q(group__in=keys) | Q(group="", sku__in=keys))
        .select_related("brand", "category")
        .order_by("sku")
    )
    cards: dict[str, Card] = {}
    for product in products:
        key = product.card_key
        cards.setdefault(key, Card(key=key, group=product.group)).variants.append(product)
    return [cards[key] for key in keys if key in cards]


def card_get(*, seller: Seller, key: str) -> Card:
    """A card by its group code, or by the SKU of a card of one variant; 404 otherwise
    (another seller's cards do not exist)."""
    cards = cards_for_keys(seller=seller, keys=[key])
    if not cards:
        raise Http404
    return cards[0]


def readiness_summary(*, seller: Seller) -> dict[str, Any]:
    """How many cards are ready and what blocks the rest: `{cards, ready, needs_fixes,
    issues: [{code, label, cards}]}`, each issue counting the cards that have it, most
    frequent first (then in rule order). Two queries, both aggregated in SQL."""
    products = _products(seller=seller)
    counts = products.aggregate(
        cards=Count(CARD_KEY, distinct=True),
        needs_fixes=Count(CARD_KEY, distinct=True, filter=Q(readiness_state=NEEDS_FIXES)),
    )
    table = Product._meta.db_table
    with connection.cursor() as cursor:
        # Each issue of the products that need fixes, counted once per card.
        cursor.execute(
            f"""
            SELECT issue ->> 'code', COUNT(DISTINCT COALESCE(NULLIF(p."group", ''), p.sku))
            FROM {table} p CROSS JOIN LATERAL jsonb_array_elements(p.readiness_issues) issue
            WHERE p.seller_id = %s AND p.readiness_state = %s
              AND jsonb_typeof(p.readiness_issues) = 'array'
            GROUP BY 1
            """,  # noqa: S608 (the table name is ours; the values are parameters)
            [seller.pk, NEEDS_FIXES],
        )
        by_code = {code: count for code, count in cursor.fetchall() if code in RULES}
    order = {code: index for index, code in enumerate(CODES)}
    issues = sorted(by_code.items(), key=lambda item: (-item[1], order[item[0]]))
    return {
        "cards": counts["cards"],
        "ready": counts["cards"] - counts["needs_fixes"],
        "needs_fixes": counts["needs_fixes"],
        "issues": [
            {"code": code, "label": str(RULES[code].label), "cards": count}
            for code, count in issues
        ],
    }
