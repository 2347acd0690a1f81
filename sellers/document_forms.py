"""The documents page's upload form, with the document a renewal replaces."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sellers.forms import DocumentUploadForm


class DocumentRenewalForm(DocumentUploadForm):
    """An upload that may name the accepted document it renews (approved sellers)."""

    replaces = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Choose one of your documents to renew.")},
    )
