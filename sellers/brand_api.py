"""Brands API v1: a seller's brands with their own review, and the reviewers' brand queue."""

from typing import Any, cast

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import VisibleCharField, choice_filter
from portal.parsers import JSONParser
from portal.uploads import UploadLimitMixin, upload_too_large
from sellers import brand_selectors, brand_services, permissions, selectors
from sellers.api import (
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHENTICATED,
    VALIDATION_ERROR,
    DetailSerializer,
    ReasonSerializer,
    StaffPermission,
    document_too_large_answer,
)
from sellers.models import Brand, BrandState, Document, DocumentKind, User


class BrandDocumentSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at", "file_url"]
        read_only_fields = fields

    def get_file_url(self, document: Document) -> str:
        return f"/api/v1/seller/documents/{document.pk}/file/"


class BrandDetailSerializer(serializers.ModelSerializer):
    document = BrandDocumentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Brand
        fields = [
            "id",
            "name",
            "name_zh",
            "origin_country",
            "trademark_number",
            "state",
            "reason",
            "document",
            "requested_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class OpsBrandDocumentSerializer(BrandDocumentSerializer):
    def get_file_url(self, document: Document) -> str:
        return reverse("admin:sellers_seller_document_file", args=[document.pk])


class OpsBrandSellerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    legal_name = serializers.CharField(read_only=True)
    legal_name_zh = serializers.CharField(read_only=True)


class OpsBrandSerializer(BrandDetailSerializer):
    document = OpsBrandDocumentSerializer(read_only=True, allow_null=True)
    seller = OpsBrandSellerSerializer(read_only=True)

    class Meta(BrandDetailSerializer.Meta):
        fields = [*BrandDetailSerializer.Meta.fields, "seller"]
        read_only_fields = fields


class BrandRequestSerializer(serializers.Serializer):
    """Shapes only: lengths, the country code and duplicates are the service's rules."""

    name = VisibleCharField(max_length=100, help_text="The brand's name, in Latin letters.")
    name_zh = VisibleCharField(required=False, allow_blank=True, default="", max_length=100)
    origin_country = VisibleCharField(
        required=False,
        allow_blank=True,
        default="CN",
        max_length=2,
        help_text="ISO 3166 alpha-2 code of the brand's origin (CN when empty).",
    )
    trademark_number = VisibleCharField(required=False, allow_blank=True, default="", max_length=50)
    document = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        error_messages={
            "required": brand_services.DOCUMENT_MISSING,
            "invalid": brand_services.DOCUMENT_MISSING,
        },
        help_text="The trademark certificate or brand authorisation: PDF, JPEG or PNG by its "
        "content, 10 MB at most.",
    )
    document_kind = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in brand_services.BRAND_DOCUMENT_KINDS],
        required=False,
        default=DocumentKind.TRADEMARK_CERTIFICATE,
        help_text="What the document is (trademark_certificate when not given).",
    )


def _user(request: Request) -> User:
    return cast(User, request.user)


class SellerBrandListView(UploadLimitMixin, GenericAPIView):
    # JSON is parsed too, so a body without the document is told what is missing (not 415).
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = BrandDetailSerializer

    def get_max_upload_bytes(self) -> int:
        return settings.DOCUMENT_MAX_BYTES

    def get_queryset(self) -> Any:
        seller = selectors.seller_get_for_user(user=_user(self.request))
        return brand_selectors.brand_list(seller=seller)

    @extend_schema(
        tags=["seller"],
        summary="The seller's brands with their review state (pending, approved, rejected)",
        responses={
            200: BrandDetailSerializer(many=True),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(BrandDetailSerializer(page, many=True).data)

    @extend_schema(
        tags=["seller"],
        summary="Ask for a brand, at any time: it waits for review; only approved brands import",
        request={"multipart/form-data": BrandRequestSerializer},
        responses={
            201: BrandDetailSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: CONFLICT,
            413: OpenApiResponse(DetailSerializer, description="The file is too large."),
        },
    )
    def post(self, request: Request) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        data = request.data  # parsing the body here is what trips the size limit
        if upload_too_large(request):
            return document_too_large_answer("document")
        payload = BrandRequestSerializer(data=data)
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        document = fields.pop("document")
        document_kind = fields.pop("document_kind")
        brand = brand_services.brand_request(
            seller=seller,
            user=_user(request),
            data=fields,
            document=document,
            document_kind=document_kind,
        )
        brand = brand_selectors.brand_get(seller=seller, id=brand.pk)
        return Response(BrandDetailSerializer(brand).data, status=status.HTTP_201_CREATED)


class SellerBrandDetailView(APIView):
    @extend_schema(
        tags=["seller"],
        summary="One of the seller's brands (another seller's brand is 404)",
        responses={200: BrandDetailSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: int) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        brand = brand_selectors.brand_get(seller=seller, id=id)
        return Response(BrandDetailSerializer(brand).data)


# Operations staff


class CanReviewBrands(StaffPermission):
    allowed = staticmethod(permissions.can_review_brands)


@extend_schema(
    tags=["ops"],
    summary="The brand review queue (staff who review brands): pending first, oldest first",
    parameters=[
        OpenApiParameter(
            "state", str, enum=BrandState.values, description="Only brands in this state."
        )
    ],
    responses={
        200: OpsBrandSerializer(many=True),
        400: VALIDATION_ERROR,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
class OpsBrandListView(ListAPIView):
    permission_classes = [IsAuthenticated, CanReviewBrands]
    serializer_class = OpsBrandSerializer

    def get_queryset(self) -> Any:
        state = choice_filter(self.request.query_params, "state", BrandState.values)
        return brand_selectors.brand_list_for_ops(state=state)


class OpsBrandApproveView(APIView):
    permission_classes = [IsAuthenticated, CanReviewBrands]

    @extend_schema(
        tags=["ops"],
        summary="Approve a brand: its catalog rows import from now on; the seller is told",
        request=None,
        responses={
            200: OpsBrandSerializer,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(DetailSerializer, description="The brand is already approved."),
        },
    )
    def post(self, request: Request, id: int) -> Response:
        brand = brand_selectors.brand_get_for_ops(user=_user(request), id=id)
        brand_services.brand_approve(brand=brand, by=_user(request))
        brand = brand_selectors.brand_get_for_ops(user=_user(request), id=id)
        return Response(OpsBrandSerializer(brand).data)


class OpsBrandRejectView(APIView):
    permission_classes = [IsAuthenticated, CanReviewBrands]

    @extend_schema(
        tags=["ops"],
        summary="Reject a brand, saying why (reason required); the seller is told",
        request=ReasonSerializer,
        responses={
            200: OpsBrandSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(DetailSerializer, description="The brand is already rejected."),
        },
    )
    def post(self, request: Request, id: int) -> Response:
        brand = brand_selectors.brand_get_for_ops(user=_user(request), id=id)
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        brand_services.brand_reject(
            brand=brand, by=_user(request), reason=payload.validated_data["reason"]
        )
        brand = brand_selectors.brand_get_for_ops(user=_user(request), id=id)
        return Response(OpsBrandSerializer(brand).data)
