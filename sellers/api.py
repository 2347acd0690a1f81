"""Sellers API v1: the seller application, documents, staff review (accounts: sellers.auth_api)."""

from typing import Any, cast

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import VisibleCharField, choice_filter
from portal.parsers import JSONParser
from portal.uploads import UploadLimitMixin, upload_too_large
from sellers import permissions, selectors, services
from sellers.document_serializers import (
    DocumentsNotAcceptedSerializer,
    OpsSellerDocumentSerializer,
)
from sellers.files import document_file_response
from sellers.models import (
    MAX_BRANDS,
    SELLER_FIELDS,
    Brand,
    Document,
    DocumentKind,
    Seller,
    SellerStatus,
    StatusChange,
    User,
)

# Serializers: shapes only; every rule lives in sellers.services.


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["name", "name_zh", "origin_country", "trademark_number"]


class BrandListSerializer(serializers.ListSerializer):
    """Counts the brands before checking each one: the service's cap, answered at once."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list) and len(data) > MAX_BRANDS:
            raise serializers.ValidationError([services.brands_too_many_message()])
        return super().to_internal_value(data)


class BrandWriteSerializer(serializers.Serializer):
    class Meta:
        list_serializer_class = BrandListSerializer

    name = VisibleCharField(allow_blank=True)
    name_zh = VisibleCharField(required=False, allow_blank=True, default="")
    origin_country = VisibleCharField(required=False, allow_blank=True, default="CN")
    trademark_number = VisibleCharField(required=False, allow_blank=True, default="")


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "reason", "at"]


class DocumentSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "expires_on",
            "expires_soon",
            "review_state",
            "review_reason",
            "reviewed_at",
            "replaces",
            "superseded_at",
            "uploaded_at",
            "file_url",
        ]
        read_only_fields = fields

    def get_file_url(self, document: Document) -> str:
        return f"/api/v1/seller/documents/{document.pk}/file/"


class SellerSerializer(serializers.ModelSerializer):
    brands = BrandSerializer(many=True, read_only=True)
    status_history = StatusChangeSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    is_editable = serializers.BooleanField(read_only=True)
    licence_expires_soon = serializers.BooleanField(read_only=True)

    class Meta:
        model = Seller
        fields = [
            "id",
            "status",
            *SELLER_FIELDS,
            "brands",
            "status_history",
            "documents",
            "is_editable",
            "licence_expires_soon",
            "submitted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SellerWriteSerializer(serializers.Serializer):
    """Every field optional: a draft is saved as far as it goes; submit checks completeness."""

    legal_name = VisibleCharField(required=False, allow_blank=True, max_length=255)
    legal_name_zh = VisibleCharField(required=False, allow_blank=True, max_length=255)
    uscc = VisibleCharField(required=False, allow_blank=True, max_length=64)
    address = VisibleCharField(required=False, allow_blank=True, max_length=2000)
    uz_entity_name = VisibleCharField(required=False, allow_blank=True, max_length=255)
    uz_entity_stir = VisibleCharField(required=False, allow_blank=True, max_length=32)
    contact_name = VisibleCharField(required=False, allow_blank=True, max_length=150)
    contact_email = VisibleCharField(required=False, allow_blank=True, max_length=254)
    contact_phone = VisibleCharField(required=False, allow_blank=True, max_length=32)
    website = VisibleCharField(required=False, allow_blank=True, max_length=200)
    brands = BrandWriteSerializer(
        many=True, required=False, help_text="Replaces the seller's brands when given."
    )


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    expires_on = serializers.DateField(required=False, allow_null=True)
    replaces = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="An approved seller's renewal: the id of the accepted document it renews "
        "(default: the current one of a business licence or registration certificate).",
    )


class ReasonSerializer(serializers.Serializer):
    # Required by every decision; checked by the service after the transition itself, so that
    # a decision that is not allowed answers 409 whatever the reason.
    reason = VisibleCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=4000,
        help_text="Why; the seller reads it. Required (400 when empty).",
    )


class OpsSellerSerializer(serializers.ModelSerializer):
    brands = BrandSerializer(many=True, read_only=True)
    licence_expires_soon = serializers.BooleanField(source="licence_expiring", read_only=True)
    documents = OpsSellerDocumentSerializer(many=True, read_only=True)
    documents_expiring = serializers.BooleanField(read_only=True)

    class Meta:
        model = Seller
        fields = [
            "id",
            "status",
            "legal_name",
            "legal_name_zh",
            "uscc",
            "uz_entity_name",
            "uz_entity_stir",
            "contact_name",
            "contact_email",
            "contact_phone",
            "brands",
            "documents",
            "licence_expires_soon",
            "documents_expiring",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields


class InvitationSerializer(serializers.Serializer):
    email = serializers.EmailField()
    created_at = serializers.DateTimeField(read_only=True)


VALIDATION_ERROR = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Invalid input: `{field: [messages]}` naming what to fix.",
)
NOT_FOUND = OpenApiResponse(DetailSerializer, description="No such object for this user.")
CONFLICT = OpenApiResponse(
    DetailSerializer, description="The application's status does not allow this."
)
UNAUTHENTICATED = OpenApiResponse(DetailSerializer, description="Not signed in.")
TOO_MANY = OpenApiResponse(
    DetailSerializer, description="Too many requests: wait the seconds in Retry-After."
)
UNCONFIRMED = OpenApiResponse(
    DetailSerializer,
    description="The application's status does not allow this, or the user's e-mail address "
    "is not confirmed yet (see auth/verify/resend/).",
)


def _user(request: Request) -> User:
    """The signed-in user (the permission classes have already turned anonymous away)."""
    return cast(User, request.user)


def _seller_response(request: Request, code: int = status.HTTP_200_OK) -> Response:
    seller = selectors.seller_get_for_user(user=_user(request))
    return Response(SellerSerializer(seller).data, status=code)


# The seller application


class SellerView(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        tags=["seller"],
        summary="The signed-in user's seller application",
        responses={200: SellerSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        return _seller_response(request)

    @extend_schema(
        tags=["seller"],
        summary="Start the seller application (once per user); brands may be included",
        request=SellerWriteSerializer,
        responses={201: SellerSerializer, 400: VALIDATION_ERROR, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        payload = SellerWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.seller_create(user=_user(request), data=payload.validated_data)
        return _seller_response(request, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["seller"],
        summary="Change the application (draft or changes requested only); brands are replaced",
        request=SellerWriteSerializer,
        responses={200: SellerSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        payload = SellerWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.seller_update(seller=seller, user=_user(request), data=payload.validated_data)
        return _seller_response(request)


class SellerSubmitView(APIView):
    @extend_schema(
        tags=["seller"],
        summary="Submit the application for review",
        request=None,
        responses={
            200: SellerSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="What is missing, by field, before submitting."
            ),
            404: NOT_FOUND,
            409: UNCONFIRMED,
        },
    )
    def post(self, request: Request) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        services.seller_submit(seller=seller, user=_user(request))
        return _seller_response(request)


def document_too_large_answer(field: str) -> Response:
    """413 for an upload over DOCUMENT_MAX_BYTES, on the field that carried the file."""
    return Response(
        {field: [services.document_too_large_message()]},
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class DocumentUploadView(UploadLimitMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]

    def get_max_upload_bytes(self) -> int:
        return settings.DOCUMENT_MAX_BYTES

    @extend_schema(
        tags=["seller"],
        summary="Upload a document (PDF, JPEG or PNG, checked by content, 10 MB at most)",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: DocumentSerializer,
            400: VALIDATION_ERROR,
            404: NOT_FOUND,
            409: CONFLICT,
            413: OpenApiResponse(DetailSerializer, description="The file is too large."),
        },
    )
    def post(self, request: Request) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        data = request.data  # parsing the body here is what trips the size limit
        if upload_too_large(request):
            return document_too_large_answer("file")
        payload = DocumentUploadSerializer(data=data)
        payload.is_valid(raise_exception=True)
        document = services.document_upload(
            seller=seller,
            user=_user(request),
            kind=payload.validated_data["kind"],
            file=payload.validated_data["file"],
            expires_on=payload.validated_data.get("expires_on"),
            replaces=payload.validated_data.get("replaces"),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(APIView):
    @extend_schema(
        tags=["seller"],
        summary="One of the seller's documents",
        responses={200: DocumentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: int) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        return Response(DocumentSerializer(selectors.document_get(seller=seller, id=id)).data)

    @extend_schema(
        tags=["seller"],
        summary="Remove a document (draft or changes requested only)",
        responses={204: None, 404: NOT_FOUND, 409: CONFLICT},
    )
    def delete(self, request: Request, id: int) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        document = selectors.document_get(seller=seller, id=id)
        services.document_delete(seller=seller, user=_user(request), document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentFileView(APIView):
    @extend_schema(
        tags=["seller"],
        summary="Download a document's file (Content-Disposition: attachment)",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, id: int) -> FileResponse:
        seller = selectors.seller_get_for_user(user=_user(request))
        document = selectors.document_get(seller=seller, id=id)
        return document_file_response(document)


class InvitationCreateView(APIView):
    @extend_schema(
        tags=["seller"],
        summary="Invite a colleague by e-mail (owner only)",
        request=InvitationSerializer,
        responses={
            201: InvitationSerializer,
            400: VALIDATION_ERROR,
            404: NOT_FOUND,
            409: UNCONFIRMED,
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        seller = selectors.seller_get_for_user(user=_user(request))
        payload = InvitationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation = services.member_invite(
            seller=seller, by=_user(request), email=payload.validated_data["email"]
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationAcceptView(APIView):
    @extend_schema(
        tags=["seller"],
        summary="Accept an invitation sent to the signed-in user's e-mail",
        request=None,
        responses={200: SellerSerializer, 400: VALIDATION_ERROR, 409: CONFLICT},
    )
    def post(self, request: Request, token: str) -> Response:
        services.invitation_accept(token=token, user=_user(request))
        return _seller_response(request)


# Operations staff


class StaffPermission(BasePermission):
    """Anonymous: 401; signed in but not staff: 404, so the routes are not even hinted at;
    staff without the model permission the route needs: 403, as from the admin's pages."""

    @staticmethod
    def allowed(user: Any) -> bool:
        raise NotImplementedError

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not request.user.is_staff:
            raise NotFound
        return self.allowed(request.user)


class CanViewSellers(StaffPermission):
    allowed = staticmethod(permissions.can_view_sellers)


class CanDecide(StaffPermission):
    allowed = staticmethod(permissions.can_decide)


FORBIDDEN = OpenApiResponse(
    DetailSerializer, description="Staff without the permission this needs (see the roles)."
)


STATUS_PARAMETER = OpenApiParameter(
    "status", str, enum=SellerStatus.values, description="Only sellers in this status."
)


@extend_schema(
    tags=["ops"],
    summary="Applications for review (staff only)",
    parameters=[
        STATUS_PARAMETER,
        OpenApiParameter("q", str, description="Legal name, USCC, brand or contact e-mail."),
    ],
    responses={
        200: OpsSellerSerializer(many=True),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
class OpsSellerListView(ListAPIView):
    permission_classes = [IsAuthenticated, CanViewSellers]
    serializer_class = OpsSellerSerializer

    def get_queryset(self) -> Any:
        status_filter = choice_filter(self.request.query_params, "status", SellerStatus.values)
        return selectors.seller_list_for_ops(
            status=status_filter, q=self.request.query_params.get("q") or None
        )


class OpsSellerDecisionView(APIView):
    permission_classes = [IsAuthenticated, CanDecide]
    decision: str = ""
    DECISIONS = {
        "approve": services.seller_approve,
        "reject": services.seller_reject,
        "request-changes": services.seller_request_changes,
        "suspend": services.seller_suspend,
    }

    @extend_schema(
        tags=["ops"],
        request=ReasonSerializer,
        responses={
            200: OpsSellerSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request: Request, id: int) -> Response:
        seller = selectors.seller_get_for_ops(user=_user(request), id=id)
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        self.DECISIONS[self.decision](
            seller=seller, by=_user(request), reason=payload.validated_data["reason"]
        )
        seller = selectors.seller_list_for_ops().get(pk=seller.pk)
        return Response(OpsSellerSerializer(seller).data)


@extend_schema_view(
    post=extend_schema(
        summary="Approve a submitted or suspended seller (reason required; its required "
        "documents accepted)",
        responses={
            200: OpsSellerSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                DocumentsNotAcceptedSerializer,
                description="The status does not allow it, or a required document is not "
                "accepted (code `documents_not_accepted`, naming the documents).",
            ),
        },
    )
)
class OpsSellerApproveView(OpsSellerDecisionView):
    decision = "approve"


@extend_schema_view(post=extend_schema(summary="Reject a submitted application (reason required)"))
class OpsSellerRejectView(OpsSellerDecisionView):
    decision = "reject"


@extend_schema_view(
    post=extend_schema(summary="Send the application back for changes (reason required)")
)
class OpsSellerRequestChangesView(OpsSellerDecisionView):
    decision = "request-changes"


@extend_schema_view(post=extend_schema(summary="Suspend an approved seller (reason required)"))
class OpsSellerSuspendView(OpsSellerDecisionView):
    decision = "suspend"
