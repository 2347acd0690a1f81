"""The form a seller asks for a brand with (the rules are sellers.brand_services')."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sellers.brand_services import BRAND_DOCUMENT_KINDS
from sellers.models import Brand, BrandState, DocumentKind


def _label(name: str) -> Any:
    return capfirst(getattr(Brand._meta.get_field(name), "verbose_name", name))


class BrandRequestForm(forms.Form):
    name = forms.CharField(
        label=_label("name"),
        max_length=100,
        help_text=_("As on the trademark certificate, in Latin letters."),
    )
    name_zh = forms.CharField(
        label=_label("name_zh"),
        max_length=100,
        required=False,
        help_text=_("Catalog rows may name the brand by this name too."),
    )
    origin_country = forms.CharField(
        label=_label("origin_country"),
        max_length=2,
        initial="CN",
        help_text=_("Two-letter code, for example CN."),
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
    )
    trademark_number = forms.CharField(
        label=_label("trademark_number"), max_length=50, required=False
    )
    document_kind = forms.ChoiceField(
        label=_("Document"),
        choices=[(kind.value, kind.label) for kind in BRAND_DOCUMENT_KINDS],
        initial=DocumentKind.TRADEMARK_CERTIFICATE,
        help_text=_(
            "Your own trademark certificate, or the trademark owner's authorisation to sell "
            "the brand."
        ),
    )
    document = forms.FileField(
        label=_("File"),
        # The service says what is wrong with a missing or wrong file, in one place.
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )


class BrandStateFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Review"),
        choices=[("", _("All brands")), *BrandState.choices],
        required=False,
    )
