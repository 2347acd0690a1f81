"""Sales load error codes and their messages, rendered in the active language."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.tabular.messages import READING_MESSAGES, message_format

# code -> message with %(name)s parameters; the codes are stable, the wording is translated.
# The readers' own codes (encodings, damaged rows, XLSX trouble) are worded in READING_MESSAGES.
MESSAGES: dict[str, Any] = {
    **READING_MESSAGES,
    "required": _("This value is required."),
    "too_long": _("Too long: at most %(max)s characters."),
    "unknown_category": _(
        "Category “%(value)s” does not exist. Use a category code such as "
        "electronics.phones.smartphones."
    ),
    "not_leaf_category": _(
        "Category “%(value)s” has subcategories; sales belong to a leaf category."
    ),
    "unknown_origin": _(
        "“%(value)s” is not an ISO 3166 alpha-2 country code (two letters, e.g. CN, UZ, KR)."
    ),
    "origin_conflict": _(
        "Brand “%(brand)s” is already known with origin %(known)s, not %(value)s. "
        "Fix the origin, or correct the brand's origin in the admin first."
    ),
    "invalid_number": _("“%(value)s” is not a whole number."),
    "fractional": _("“%(value)s” has a fraction; use a whole number."),
    "negative": _("Must be zero or more (got %(value)s)."),
    "scientific_notation": _(
        "“%(value)s” is in scientific notation; format the column as a number with no "
        "exponent and export again."
    ),
    "invalid_date": _("“%(value)s” is not a date; write it as YYYY-MM-DD (e.g. 2025-11-11)."),
    "excel_serial_date": _(
        "“%(value)s” looks like a spreadsheet's serial number for %(date)s: format the column "
        "as a date (YYYY-MM-DD) or as text and export again."
    ),
    # File-level problems.
    "missing_columns": _("Required columns are missing: %(columns)s."),
    "duplicate_column": _("Column “%(value)s” appears more than once in the header."),
    "no_rows": _("The file has no sales rows."),
    "too_many_errors": _(
        "Stopped listing problems after %(max)s; fix these and load the file again."
    ),
}


def message_render(code: str, params: dict[str, Any] | None = None) -> str:
    """The message of an error code in the active language; an unknown code is shown as is."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    return message_format(template, params)
