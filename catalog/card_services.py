"""Writes to cards: actions on all the variants of one card at once."""

from django.db import transaction
from django.utils import timezone

from catalog.card_selectors import Card, card_get
from catalog.cards import (
    card_rules_load,
    product_readiness,
    product_values,
    readiness_fields,
    uzbek_transliterate,
)
from catalog.models import Product
from catalog.services import seller_require_approved
from sellers.models import Seller

TRANSLITERATED_FIELDS = ("title_uz", "description_uz", "features_uz")


def card_transliterate(*, seller: Seller, key: str) -> Card:
    """Write the card's Uzbek title, description and features in the Latin alphabet where they
    are Cyrillic (catalog.cards.uzbek_transliterate), on every variant, and check their
    readiness again. 404 for a card that is not the seller's; only approved sellers change
    their catalog (ConflictError). Returns the card as stored."""
    card = card_get(seller=seller, key=key)
    seller_require_approved(seller=seller, by_import=False)
    rules = card_rules_load()
    now = timezone.now()
    changed: list[Product] = []
    for variant in card.variants:
        values = product_values(variant)
        if not uzbek_transliterate(values):
            continue
        for name in TRANSLITERATED_FIELDS:
            setattr(variant, name, values[name])
        for name, value in readiness_fields(product_readiness(values, rules)).items():
            setattr(variant, name, value)
        variant.updated_at = now
        changed.append(variant)
    if changed:
        with transaction.atomic():
            Product.objects.bulk_update(
                changed,
                [*TRANSLITERATED_FIELDS, "readiness_state", "readiness_issues", "updated_at"],
            )
    return card
