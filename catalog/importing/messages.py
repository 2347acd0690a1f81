"""Every import error and warning code with its message, rendered in the active language."""

from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from catalog.attribute_values import params_in_language
from catalog.importing.columns import column_label
from catalog.readiness import RULES, Issue
from portal.tabular.messages import READING_MESSAGES, message_format

# code -> message with %(name)s parameters. The codes are stable (API, tests); the wording
# is for people and is translated. The readers' own codes are worded in READING_MESSAGES.
MESSAGES: dict[str, Any] = {
    **READING_MESSAGES,
    # Row rules (DESIGN.md "Row rules").
    "required": _("This value is required."),
    "too_long": _("Too long: at most %(max)s characters, this has %(length)s."),
    "duplicate_sku": _("SKU %(value)s already appears in row %(first_row)s of this file."),
    "lost_leading_zero": _(
        "SKU %(value)s is not in your catalog, but %(existing)s is: the spreadsheet probably "
        "dropped its leading zeros. Format the SKU column as text, type the SKU with its "
        "zeros and upload the file again."
    ),
    "unknown_brand": _(
        "Brand “%(value)s” is not one of your registered brands (%(brands)s). "
        "Request it on the Brands page, or fix the name."
    ),
    "brand_pending": _(
        "Brand “%(value)s” is waiting for review by Bozor; rows with it import once it is approved."
    ),
    "unknown_category": _(
        "Category “%(value)s” does not exist. Use a category code from the template, "
        "e.g. electronics.phones.smartphones."
    ),
    "not_leaf_category": _(
        "Category “%(value)s” has subcategories; choose one of them (a leaf category)."
    ),
    "invalid_number": _("“%(value)s” is not a number."),
    "fractional_som": _("“%(value)s” has a fraction; prices are whole so'm."),
    "not_positive": _("Must be greater than zero (got %(value)s)."),
    "negative": _("Must be zero or more (got %(value)s)."),
    "out_of_range": _("Out of range: the value must be from %(min)s to %(max)s."),
    "invalid_type": _(
        "Send a single value here, as text or a number (not a list, an object or true/false)."
    ),
    "too_heavy": _("%(value)s g is above the marketplace's parcel limit of %(max)s g."),
    "scientific_notation": _(
        "“%(value)s” is in scientific notation: the spreadsheet turned the number into "
        "an approximation. Format the column as text and type the full value again."
    ),
    "bad_check_digit": _(
        "Barcode %(value)s has a wrong check digit (the last digit should be %(expected)s)."
    ),
    "invalid_barcode": _(
        "Barcode “%(value)s” is not an EAN-8, EAN-13 or UPC-A code (8, 12 or 13 digits)."
    ),
    "invalid_barcode_leading_zero": _(
        "Barcode “%(value)s” has %(length)s digits: the spreadsheet probably dropped its "
        "leading zero. Format the column as text and type the barcode with its leading zero."
    ),
    "invalid_ikpu": _(
        "IKPU (MXIK) “%(value)s” must be exactly 17 digits, "
        "or the dotted form 10.71.11.100.000.00.000."
    ),
    "invalid_ikpu_leading_zero": _(
        "IKPU (MXIK) “%(value)s” has 16 digits: the spreadsheet probably dropped a leading "
        "zero. Format the column as text and type the code with its leading zero."
    ),
    "invalid_ikpu_scientific": _(
        "IKPU (MXIK) “%(value)s” is in scientific notation: the spreadsheet turned the code "
        "into a number. Format the column as text and type the 17 digits again."
    ),
    "invalid_url": _("“%(value)s” is not an http(s) URL."),
    "too_many": _("At most %(max)s images; this row has %(count)s."),
    "title_style": _(
        "Marketplace card rules: a title should have at least three words and start "
        "with a capital letter."
    ),
    # Cards (issue 13): characteristics, variants, Uzbek in Latin.
    "unknown_value": _(
        "“%(value)s” is not a valid value of “%(attribute)s”. Choose one of: %(allowed)s."
    ),
    "unknown_attribute": _("“%(value)s” is not a characteristic of this product's category."),
    "group_mismatch": _(
        "This row belongs to card “%(group)s”, but its values in %(fields)s differ from row "
        "%(first_row)s, the card's first row. Every variant of a card shares them: copy them "
        "from row %(first_row)s, or give the row another card code."
    ),
    "duplicate_variant": _(
        "Rows %(first_row)s and %(row)s are the same variant of card “%(group)s” (%(values)s). "
        "Each variant needs its own combination of %(axes)s."
    ),
    "duplicate_variant_axis_missing": _(
        "The variants of card “%(group)s” (first row %(first_row)s) differ by %(axes)s; fill in "
        "“%(attribute)s” for this row, so it is not the same variant as another."
    ),
    "transliterated": _(
        "The Uzbek text was in Cyrillic and was written in the Latin alphabet. The original "
        "was: “%(original)s”."
    ),
    # File errors.
    "no_rows": _("The file has no product rows."),
    "file_too_large": _(
        "The file is larger than the limit of %(limit)s. Split the catalog into smaller files."
    ),
    "missing_columns": _("Required columns are missing: %(columns)s."),
    "duplicate_column": _(
        "Column “%(column)s” appears more than once (“%(first)s” and “%(second)s”)."
    ),
    "unknown_columns": _("These columns are not recognised and were ignored: %(columns)s."),
    "ignored_columns": _("These columns are never imported and were ignored: %(columns)s."),
    "card_variants_updated": _(
        "Variants of this file's cards that it does not list now have the card values it gave "
        "(titles, descriptions, features, brand, category, photos), so each card stays the same "
        "on every variant: %(count)s products."
    ),
    "time_limit": _(
        "The import took longer than the time limit and was stopped; nothing was changed. "
        "Split the file into smaller files and upload them one by one."
    ),
    "too_many_attempts": _(
        "The import was interrupted %(attempts)s times and was stopped; nothing was changed. "
        "Upload the file again; if this repeats, contact support."
    ),
    "database_unavailable": _(
        "The database was unavailable; the import was stopped and nothing was changed. "
        "Upload the file again later."
    ),
    "unexpected": _(
        "The import failed unexpectedly and nothing was changed (reference %(reference)s)."
    ),
    "seller_not_approved": _("Only approved sellers can import catalogs."),
    "file_missing": _("The uploaded file is no longer available; upload it again."),
}


# What to do about a whole group of rows with the same problem (the preview's summary, where
# one sentence stands for many rows): code -> fix. Codes without one use their row message.
FIXES: dict[str, Any] = {
    "required": _("empty: fill in the column."),
    "too_long": _("too long: shorten the text."),
    "duplicate_sku": _("SKU repeated in the file: keep one row per SKU."),
    "lost_leading_zero": _("SKU lost its leading zeros: format the column as text."),
    "unknown_brand": _("not one of your brands: request the brand, or fix the name."),
    "brand_pending": _("the brand is waiting for review: these rows import once it is approved."),
    "unknown_category": _("not a category code: use a leaf code from the template."),
    "not_leaf_category": _("a parent category: choose one of its subcategories."),
    "invalid_number": _("not a number: type digits only."),
    "fractional_som": _("prices have a fraction: use whole so'm."),
    "not_positive": _("zero or less: type a value above zero."),
    "negative": _("negative: type zero or more."),
    "out_of_range": _("out of range: check the allowed values."),
    "too_heavy": _("above the parcel limit of 50,000 g."),
    "scientific_notation": _("in scientific notation: format the column as text."),
    "bad_check_digit": _("wrong check digit: copy the barcodes again from the packaging."),
    "invalid_barcode": _("not an EAN-8, EAN-13 or UPC-A barcode: format the column as text."),
    "invalid_ikpu": _("IKPU (MXIK) must be 17 digits: format the column as text."),
    "invalid_url": _("not an http(s) link: check the image URLs."),
    "too_many": _("more than 10 images: keep at most 10."),
    "title_style": _("titles need three words and a capital letter (imported anyway)."),
    "unknown_value": _("not a valid value: choose one from the template's list."),
    "unknown_attribute": _("not a characteristic of the category."),
    "group_mismatch": _(
        "variants of one card disagree: copy the card's values from its first row."
    ),
    "duplicate_variant": _(
        "the same variant twice, or one without its colour, size or memory: each variant "
        "needs its own."
    ),
    "transliterated": _("Uzbek in Cyrillic, written in Latin (imported)."),
}


def message_for(code: str, params: dict[str, Any] | None = None) -> str:
    """The message of a code in the active language; unknown codes fall back to the code."""
    params = params_in_language(params or {})
    key = f"{code}_{params['hint']}" if params.get("hint") else code
    template = MESSAGES.get(key) or MESSAGES.get(code)
    if template is None:
        return _readiness_message(code, params)
    if code == "missing_columns":
        params["columns"] = [column_label(name) for name in params.get("columns", [])]
    if code == "group_mismatch":
        params["fields"] = [column_label(name) for name in params.get("fields", [])]
    if code == "duplicate_column":
        params["column"] = column_label(params.get("column", ""))
    return message_format(template, params)


def _readiness_message(code: str, params: dict[str, Any]) -> str:
    """A readiness issue reported as an import warning ({field, kind} among its parameters),
    worded by its rule; any other unknown code falls back to the code."""
    if code not in RULES:
        return code
    params = dict(params)
    field = str(params.pop("field", ""))
    kind = str(params.pop("kind", ""))
    return Issue(code, field, params, kind).message


def file_too_large_message() -> str:
    """What every upload path (page, API, service) says of a catalog file over the size limit."""
    return message_for(
        "file_too_large", {"limit": filesizeformat(settings.CATALOG_UPLOAD_MAX_BYTES)}
    )
