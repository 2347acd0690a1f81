"""Catalog API v1: a category's characteristics (`GET categories/{code}/attributes/`)."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api import UNAUTHORIZED, DetailSerializer
from catalog.attribute_selectors import category_attributes_list


class AttributeOptionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stored as the value; a file may give any name.")
    name_en = serializers.CharField()
    name_ru = serializers.CharField()
    name_uz = serializers.CharField()
    name_zh = serializers.CharField()


class CategoryAttributeSerializer(serializers.Serializer):
    code = serializers.CharField(source="attribute.code")
    name_en = serializers.CharField(source="attribute.name_en")
    name_ru = serializers.CharField(source="attribute.name_ru")
    name_uz = serializers.CharField(source="attribute.name_uz")
    name_zh = serializers.CharField(source="attribute.name_zh")
    type = serializers.ChoiceField(
        source="attribute.type", choices=["text", "number", "enum", "boolean"]
    )
    unit = serializers.CharField(
        source="attribute.unit", help_text='A number\'s unit ("GB", "mAh", "W"); "" otherwise.'
    )
    # Named like Field.required: fine for DRF, confusing for the type stubs.
    required = serializers.BooleanField(  # type: ignore[assignment]
        help_text="A card without it imports, but is not ready (`attribute_missing`)."
    )
    variant_axis = serializers.BooleanField(
        help_text="The variants of one card differ by it (colour, size)."
    )
    options = AttributeOptionSerializer(
        source="attribute.options.all",
        many=True,
        help_text="An enum's allowed values in position order; empty for other types.",
    )


class CategoryAttributeListView(APIView):
    """Not paginated: a category has a few dozen attributes at most."""

    @extend_schema(
        summary="A category's characteristics",
        description=(
            "The attributes of a leaf category in position order, with their enum options. "
            "A parent category has none: its list is empty. Column headers in files may be an "
            "attribute's code or its name in any of the 4 languages, enum values any option "
            "name or code."
        ),
        responses={
            200: CategoryAttributeSerializer(many=True),
            401: UNAUTHORIZED,
            404: OpenApiResponse(DetailSerializer, description="No category with this code."),
        },
        tags=["catalog"],
    )
    def get(self, request: Request, code: str, **kwargs: Any) -> Response:
        links = category_attributes_list(code=code)
        return Response(CategoryAttributeSerializer(links, many=True).data)
