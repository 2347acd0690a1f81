"""Shapes of documents for operations staff (the seller's own shape is in sellers.api)."""

from django.urls import reverse
from rest_framework import serializers

from sellers.models import Document

OPS_DOCUMENT_FIELDS = [
    "id",
    "seller",
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


class OpsDocumentSerializer(serializers.ModelSerializer):
    seller = serializers.IntegerField(source="seller_id", read_only=True)
    replaces = serializers.IntegerField(source="replaces_id", read_only=True, allow_null=True)
    expires_soon = serializers.BooleanField(read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = OPS_DOCUMENT_FIELDS
        read_only_fields = fields

    def get_file_url(self, document: Document) -> str:
        # The admin's download, which checks the reviewer's permission to read documents.
        return reverse("admin:sellers_seller_document_file", args=[document.pk])


class OpsSellerDocumentSerializer(OpsDocumentSerializer):
    """A document inside an application of the ops queue (the seller is the application)."""

    class Meta(OpsDocumentSerializer.Meta):
        fields = [field for field in OPS_DOCUMENT_FIELDS if field != "seller"]
        read_only_fields = fields


class BlockingDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    review_state = serializers.CharField()


class DocumentsNotAcceptedSerializer(serializers.Serializer):
    """The 409 of an approval while a required document is not accepted."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="`documents_not_accepted`")
    documents = BlockingDocumentSerializer(
        many=True, required=False, help_text="The required documents not accepted yet."
    )
    missing = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Required kinds not uploaded."
    )
