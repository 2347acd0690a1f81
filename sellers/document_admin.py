"""Admin pieces for documents: the inline's review form, the renewal column, the list filters."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sellers import document_services
from sellers.models import Document, Seller


class DocumentReviewForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ("review_state", "review_reason")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.superseded_at is not None and self.has_changed():
            raise ValidationError(document_services.superseded_message())
        document_services.document_review_check(
            state=cleaned.get("review_state", ""), reason=cleaned.get("review_reason", "")
        )
        return cleaned


def renewal_text(document: Document) -> str:
    """The inline's renewal column: superseded (when), what it renews, or a dash."""
    if document.superseded_at is not None:
        return _("superseded on %(date)s") % {
            "date": date_format(document.superseded_at, "DATE_FORMAT")
        }
    if document.replaces_id is not None:
        return _("renews document #%(id)d") % {"id": document.replaces_id}
    return "—"


class LicenceExpiringFilter(admin.SimpleListFilter):
    title = gettext_lazy("business licence")
    parameter_name = "licence"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("expiring", gettext_lazy("expires within 60 days"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Seller]) -> QuerySet[Seller]:
        if self.value() == "expiring":
            return queryset.filter(licence_expiring=True)  # type: ignore[misc]  # annotation
        return queryset


class DocumentsExpiringFilter(admin.SimpleListFilter):
    """The ops queue's flag: an accepted document expires within the first reminder's days."""

    title = gettext_lazy("documents expiring")
    parameter_name = "documents"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("expiring", gettext_lazy("an accepted document expires within 60 days"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Seller]) -> QuerySet[Seller]:
        if self.value() == "expiring":
            return queryset.filter(documents_expiring=True)  # type: ignore[misc]  # annotation
        return queryset
