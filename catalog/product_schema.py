"""Serializers of the product and card API, shared by catalog/api.py and catalog/card_api.py.

The product contract of DESIGN.md, per SKU, with the card fields of issue 13: `group`,
`features_uz`, `features_ru`, `attributes` and the stored `readiness`.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from catalog.importing.columns import CANONICAL_HEADER
from catalog.importing.rows import NUMBER_BOUNDS
from catalog.models import Product
from catalog.readiness import CODES, Readiness
from catalog.readiness import READY as READY_STATE
from portal.tabular.table import INVISIBLE

# What a client may send for a product; validation is the import's row rules (services).
PRODUCT_WRITE_FIELDS = (*CANONICAL_HEADER, "attributes")
PRODUCT_READ_ONLY_FIELDS = ("readiness", "created_at", "updated_at")
READINESS_STATES = [READY_STATE, "needs_fixes"]


def readiness_of(product: Product) -> dict[str, Any]:
    """A product's stored readiness in the API shape, worded in the request's language."""
    return Readiness.from_json({"issues": product.readiness_issues}).as_dict()


class IssueSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(CODES))
    field = serializers.CharField(help_text="The field (or characteristic code) to fix.")
    message = serializers.CharField(help_text="What to fix, in the request's language.")


class ReadinessSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=READINESS_STATES)
    issues = IssueSerializer(many=True)


class ProductSerializer(serializers.ModelSerializer):
    brand: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name",
        read_only=True,
        allow_null=True,
        help_text="The brand's name (null if the brand was removed since).",
    )
    category: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The leaf category's code."
    )
    image_urls = serializers.ListField(child=serializers.URLField(), read_only=True)
    group = serializers.CharField(
        read_only=True, help_text="The card (model code) the variant belongs to; empty if none."
    )
    features_uz = serializers.ListField(child=serializers.CharField(), read_only=True)
    features_ru = serializers.ListField(child=serializers.CharField(), read_only=True)
    attributes = serializers.DictField(
        read_only=True,
        help_text="Characteristics `{code: value}`; an enum's value is its option code.",
    )
    readiness = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [*PRODUCT_WRITE_FIELDS, *PRODUCT_READ_ONLY_FIELDS]
        read_only_fields = fields

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, product: Product) -> dict[str, Any]:
        return readiness_of(product)


def _bounded_integer(name: str, **kwargs: Any) -> serializers.IntegerField:
    """A number field of the schema, with the bounds the row rules check."""
    bounds = NUMBER_BOUNDS[name]
    return serializers.IntegerField(min_value=bounds.minimum, max_value=bounds.maximum, **kwargs)


def _features(language: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            f"Features ({language}): a list, or one text separated by `|` or new lines. "
            "The marketplace wants at least 3."
        ),
    )


class ProductWriteSerializer(serializers.Serializer):
    """The request body's shape, for the schema. The values are checked by the same row rules
    as an import (so `"12 500"` is a valid price, as in a spreadsheet)."""

    sku = serializers.CharField(max_length=64)
    title_uz = serializers.CharField(max_length=255)
    title_ru = serializers.CharField(max_length=255)
    description_uz = serializers.CharField(required=False, allow_blank=True)
    description_ru = serializers.CharField(required=False, allow_blank=True)
    brand = serializers.CharField(help_text="One of your brands, by its name or Chinese name.")
    category = serializers.CharField(help_text="A leaf category's code.")
    price_uzs = _bounded_integer("price_uzs", help_text="Whole so'm.")
    stock = _bounded_integer("stock")
    barcode = serializers.CharField(
        required=False, allow_blank=True, help_text="EAN-8, EAN-13 or UPC-A."
    )
    ikpu = serializers.CharField(help_text="17 digits (MXIK), dots allowed.")
    weight_g = _bounded_integer("weight_g")
    image_urls = serializers.ListField(child=serializers.URLField(), required=False, max_length=10)
    length_mm = _bounded_integer("length_mm", required=False, allow_null=True)
    width_mm = _bounded_integer("width_mm", required=False, allow_null=True)
    height_mm = _bounded_integer("height_mm", required=False, allow_null=True)
    group = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=(
            "The card (model code): products with one group are the variants of one card and "
            "share its titles, descriptions, features, brand, category and images."
        ),
    )
    features_uz = _features("Uzbek")
    features_ru = _features("Russian")
    attributes = serializers.DictField(
        required=False,
        help_text=(
            "Characteristics of the category, `{characteristic: value}`: the characteristic by "
            "its code or its name in any of the 4 languages, an enum's value by its option's "
            "code or name in any language, booleans as yes/no (any language), numbers with or "
            "without their unit. Replaces the stored characteristics when sent."
        ),
    )


def product_data(request: Request) -> dict[str, Any]:
    """The known fields of the body; unknown names are refused so a typo is not lost."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    body: Mapping[str, Any] = request.data
    allowed = set(PRODUCT_WRITE_FIELDS) | set(PRODUCT_READ_ONLY_FIELDS)
    unknown = sorted(k for k in body.keys() if k not in allowed)
    if unknown:
        # Named back as sent, but for what no answer can carry (a lone surrogate, NUL).
        raise ValidationError({INVISIBLE.sub("\ufffd", k): [_("Unknown field.")] for k in unknown})
    return {k: body[k] for k in PRODUCT_WRITE_FIELDS if k in body}


READINESS_FILTER = OpenApiParameter(
    "readiness",
    str,
    enum=READINESS_STATES,
    description="Only what is `ready` for the marketplace, or what `needs_fixes`.",
)
PRODUCT_FILTERS = [
    OpenApiParameter(
        "category", str, description="A category's code; its descendants are included."
    ),
    OpenApiParameter("q", str, description="Search in the SKU, titles, barcode and card code."),
    OpenApiParameter("brand", str, description="A brand's name (or Chinese name)."),
    READINESS_FILTER,
    OpenApiParameter(
        "issue", str, enum=list(CODES), description="Only products with this readiness issue."
    ),
]
