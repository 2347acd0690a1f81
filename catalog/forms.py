"""Forms of the catalog pages: the import upload and the product list filters."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, ImportMode
from catalog.models import Readiness as ReadinessState
from catalog.readiness import RULES
from sellers.models import Seller


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file"),
        help_text=_("CSV or Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.tsv,.xlsx,text/csv,text/plain,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "data-size-check": "",
                "aria-describedby": "file-size-error",
            }
        ),
    )
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            (ImportMode.VALIDATE, _("Check the file and show a preview first (nothing changes)")),
            (ImportMode.COMMIT, _("Import it right away (valid rows are saved)")),
        ],
        initial=ImportMode.VALIDATE,
        widget=forms.RadioSelect,
    )
    # Checked by default (ImportJob.transliterate): the marketplace takes Uzbek in Latin only,
    # and many sellers' files have it in Cyrillic. Off keeps every text exactly as decoded.
    transliterate = forms.BooleanField(
        label=_("Write Uzbek Cyrillic in Latin letters"),
        help_text=_(
            "Uzbek titles, descriptions and features typed in Cyrillic are stored in the official "
            "Latin alphabet (ў → oʻ, ғ → gʻ, ш → sh). The error report keeps the original text."
        ),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "transliterate-help"}),
    )

    # The page's form always sends this marker: without it (a script posting the file alone)
    # an absent box means the default, not "off".
    OPTIONS_MARKER = "upload_options"

    def transliterate_choice(self, data: Any) -> bool:
        """The transliteration option as the seller chose it (True unless the page's box was
        left unticked)."""
        if self.OPTIONS_MARKER not in data:
            return True
        return bool(self.cleaned_data.get("transliterate"))


def _category_choices() -> list[tuple[str, str]]:
    """Every category, indented under its parent, named in the active language."""
    choices: list[tuple[str, str]] = [("", str(_("All categories")))]
    for category in Category.objects.only("code", "name_en", "name_ru", "name_uz", "name_zh"):
        depth = category.code.count(".")
        choices.append((category.code, "\u2003" * depth + category.name))
    return choices


def _brand_choices(seller: Seller) -> Callable[[], list[tuple[str, str]]]:
    def choices() -> list[tuple[str, str]]:
        brands = seller.brands.order_by("name").only("name", "name_zh")
        return [("", str(_("All brands")))] + [(brand.name, str(brand)) for brand in brands]

    return choices


class ProductFilterForm(forms.Form):
    """Search and filters of the product list; an unknown value is ignored, not an error page."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("SKU, title or barcode")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    brand = forms.ChoiceField(label=_("Brand"), required=False)
    readiness = forms.ChoiceField(label=_("Readiness"), required=False)

    def __init__(self, *args: Any, seller: Seller, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Callables: the choices are only queried when the form renders or validates.
        cast(forms.ChoiceField, self.fields["category"]).choices = _category_choices
        cast(forms.ChoiceField, self.fields["brand"]).choices = _brand_choices(seller)
        cast(forms.ChoiceField, self.fields["readiness"]).choices = readiness_choices

    def filters(self) -> dict[str, str | None]:
        """The valid filters as keyword arguments for `catalog.selectors.product_list`."""
        self.is_valid()  # cleaned_data keeps the fields that are valid
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in ("q", "category", "brand")}

    def readiness_filter(self) -> str | None:
        """The readiness filter: "ready", "needs_fixes" or an issue code (None: all cards)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("readiness") or None


def readiness_choices() -> list[tuple[str, Any]]:
    """All, ready, needs fixes, then each issue (a card that has it), in the reader's language."""
    issues = [(code, str(rule.label)) for code, rule in RULES.items()]
    return [
        ("", str(_("All cards"))),
        (ReadinessState.READY.value, str(ReadinessState.READY.label)),
        (ReadinessState.NEEDS_FIXES.value, str(ReadinessState.NEEDS_FIXES.label)),
        (str(_("Needs fixes: by issue")), issues),
    ]
