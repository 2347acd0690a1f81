"""Cards API v1: a seller's products folded into cards (a group's variants), their readiness
for the marketplace, and actions on a whole card.

Thin views over catalog.card_selectors and catalog.card_services; a card named in the URL is
looked up for the user's seller (404), as products are.
"""

from typing import Any

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import card_selectors, card_services
from catalog.api import (
    NOT_APPROVED,
    NOT_FOUND,
    UNAUTHORIZED,
    VALIDATION,
    SellerScopedMixin,
    _seller,
)
from catalog.card_selectors import Card
from catalog.models import Product
from catalog.product_schema import READINESS_FILTER, READINESS_STATES, ReadinessSerializer
from catalog.readiness import CODES
from portal.api import choice_filter


class VariantSerializer(serializers.ModelSerializer):
    attributes = serializers.DictField(
        read_only=True,
        help_text="Characteristics `{code: value}`; an enum's value is its option code.",
    )
    readiness = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["sku", "attributes", "price_uzs", "stock", "barcode", "readiness"]
        read_only_fields = fields

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, product: Product) -> dict[str, Any]:
        return card_selectors.variant_readiness(product).as_dict()


class CardSerializer(serializers.Serializer):
    group = serializers.CharField(
        source="key",
        help_text="The card's code (its group), or the SKU of a card of one variant.",
    )
    title_uz = serializers.CharField()
    title_ru = serializers.CharField()
    description_uz = serializers.CharField()
    description_ru = serializers.CharField()
    brand = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    image_urls = serializers.ListField(child=serializers.URLField())
    features_uz = serializers.ListField(child=serializers.CharField())
    features_ru = serializers.ListField(child=serializers.CharField())
    readiness = serializers.SerializerMethodField()
    variant_count = serializers.IntegerField()
    variants = VariantSerializer(many=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_brand(self, card: Card) -> str | None:
        return card.brand.name if card.brand else None

    @extend_schema_field(serializers.CharField(help_text="The leaf category's code."))
    def get_category(self, card: Card) -> str:
        return card.category.code

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, card: Card) -> dict[str, Any]:
        """The variants' issues together: `needs_fixes` when any variant needs fixes."""
        return card.readiness.as_dict()


class IssueCountSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(CODES))
    # A declared field named like Field.label: fine for DRF, confusing for the type stubs.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The issue's name, in the request's language."
    )
    cards = serializers.IntegerField(help_text="Cards with this issue.")


class ReadinessSummarySerializer(serializers.Serializer):
    cards = serializers.IntegerField()
    ready = serializers.IntegerField()
    needs_fixes = serializers.IntegerField()
    issues = IssueCountSerializer(many=True)


@extend_schema_view(
    get=extend_schema(
        summary="Your cards, with their variants",
        description=(
            "One entry per card: products with the same `group` are its variants; a product "
            "without a group is a card of one variant (its SKU is the card's `group` here)."
        ),
        parameters=[
            READINESS_FILTER,
            OpenApiParameter(
                "category", str, description="A category's code; its descendants are included."
            ),
            OpenApiParameter(
                "q",
                str,
                description="Search in the card code and the variants' SKUs, titles and barcodes.",
            ),
        ],
        responses={
            200: CardSerializer(many=True),
            400: VALIDATION,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
        },
        tags=["catalog"],
    )
)
class CardListView(generics.ListAPIView):
    serializer_class = CardSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return card_selectors.card_list(
            seller=_seller(self.request),
            readiness=choice_filter(params, "readiness", READINESS_STATES),
            category=params.get("category") or None,
            q=params.get("q") or None,
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        keys = self.get_queryset()
        page = self.paginate_queryset(keys)
        rows = page if page is not None else list(keys)
        cards = card_selectors.cards_for_keys(
            seller=_seller(request), keys=[row["key"] for row in rows]
        )
        data = CardSerializer(cards, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class CardScopedMixin(SellerScopedMixin):
    def scoped_object(self, request: Request, **kwargs: Any) -> Card:
        return card_selectors.card_get(seller=_seller(request), key=kwargs["group"])


@extend_schema_view(
    get=extend_schema(
        summary="One of your cards with its variants",
        description="By its group code, or by the SKU of a card of one variant.",
        responses={200: CardSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["catalog"],
    )
)
class CardDetailView(CardScopedMixin, APIView):
    def get(self, request: Request, group: str) -> Response:
        return Response(CardSerializer(self.scoped_object(request, group=group)).data)


@extend_schema_view(
    post=extend_schema(
        summary="Write the card's Uzbek texts in the Latin alphabet",
        description=(
            "Transliterates Uzbek Cyrillic in `title_uz`, `description_uz` and `features_uz` "
            "of every variant to the official Latin alphabet (oʻ, gʻ with U+02BB), checks "
            "their readiness again and answers the card. Texts already in Latin are left as "
            "they are."
        ),
        request=None,
        responses={200: CardSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND, 409: NOT_APPROVED},
        tags=["catalog"],
    )
)
class CardTransliterateView(CardScopedMixin, APIView):
    def post(self, request: Request, group: str) -> Response:
        card = card_services.card_transliterate(seller=_seller(request), key=group)
        return Response(CardSerializer(card).data)


@extend_schema_view(
    get=extend_schema(
        summary="How many cards are ready, and what blocks the rest",
        description=(
            "`issues` counts the cards with each readiness issue, most frequent first; "
            "`label` is the issue's name in the request's language."
        ),
        responses={200: ReadinessSummarySerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["catalog"],
    )
)
class CardReadinessSummaryView(APIView):
    def get(self, request: Request) -> Response:
        return Response(card_selectors.readiness_summary(seller=_seller(request)))
