"""Sellers API v1 for operations staff: the document review queue, accept and reject."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import choice_filter
from sellers import document_selectors, document_services, permissions, selectors
from sellers.api import (
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHENTICATED,
    VALIDATION_ERROR,
    DetailSerializer,
    ReasonSerializer,
    StaffPermission,
    _user,
)
from sellers.document_serializers import OpsDocumentSerializer
from sellers.models import DocumentReview


class CanReadDocuments(StaffPermission):
    allowed = staticmethod(permissions.can_read_documents)


class CanReviewDocuments(StaffPermission):
    allowed = staticmethod(permissions.can_review_documents)


SUPERSEDED = OpenApiResponse(
    DetailSerializer, description="The document was replaced by an accepted renewal."
)


@extend_schema(
    tags=["ops"],
    summary="Documents for review, oldest upload first (staff who may read documents)",
    parameters=[
        OpenApiParameter(
            "review_state", str, enum=DocumentReview.values, description="Only this review state."
        ),
        OpenApiParameter(
            "seller",
            # A seller's id as digits: checked as text, answered 400 when it is anything else.
            {"type": "string", "pattern": "^[0-9]{1,9}$"},
            description="Only this seller's documents.",
        ),
    ],
    responses={
        200: OpsDocumentSerializer(many=True),
        400: VALIDATION_ERROR,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
class OpsDocumentListView(ListAPIView):
    permission_classes = [IsAuthenticated, CanReadDocuments]
    serializer_class = OpsDocumentSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        review_state = choice_filter(params, "review_state", DocumentReview.values)
        seller = params.get("seller") or None
        if seller is not None and not (seller.isascii() and seller.isdigit() and len(seller) < 10):
            raise serializers.ValidationError({"seller": [_("Give a seller's number.")]})
        return document_selectors.document_list_for_ops(
            review_state=review_state, seller_id=int(seller) if seller else None
        )


class OpsDocumentDecisionView(APIView):
    permission_classes = [IsAuthenticated, CanReviewDocuments]


class OpsDocumentAcceptView(OpsDocumentDecisionView):
    @extend_schema(
        tags=["ops"],
        summary="Accept a document; an accepted renewal supersedes the document it renews",
        request=None,
        responses={
            200: OpsDocumentSerializer,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: SUPERSEDED,
        },
    )
    def post(self, request: Request, id: int) -> Response:
        document = selectors.document_get_for_staff(user=_user(request), id=id)
        document = document_services.document_accept(document=document, by=_user(request))
        return Response(OpsDocumentSerializer(document).data)


class OpsDocumentRejectView(OpsDocumentDecisionView):
    @extend_schema(
        tags=["ops"],
        summary="Reject a document (reason required); a rejected renewal leaves the old one valid",
        request=ReasonSerializer,
        responses={
            200: OpsDocumentSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: SUPERSEDED,
        },
    )
    def post(self, request: Request, id: int) -> Response:
        document = selectors.document_get_for_staff(user=_user(request), id=id)
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        document = document_services.document_reject(
            document=document, by=_user(request), reason=payload.validated_data["reason"]
        )
        return Response(OpsDocumentSerializer(document).data)
