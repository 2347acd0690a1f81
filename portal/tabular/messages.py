"""The wording of the readers' own codes, and the one way every app fills in a message.

The readers raise and attach codes only; each app renders them where it shows them (its
`message_for`), from its own table of codes merged over `READING_MESSAGES`.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

# code -> message with %(name)s parameters; the codes are stable (API, tests), the wording is
# for people and is translated.
READING_MESSAGES: dict[str, Any] = {
    # Damage inside one row, found while reading it.
    "formula_without_value": _(
        "This cell holds a formula with no saved value. Open the file in Excel, let it "
        "recalculate, save it, and upload it again (or paste the values as text)."
    ),
    "wrong_cell_count": _(
        "This row has %(found)s cells but the header has %(expected)s: check for a "
        "stray delimiter or quote."
    ),
    "unbalanced_quote": _(
        "A quote opened in this row is not closed, so it swallows the following lines "
        "(%(lines)s lines of the file). Close the quote or remove it."
    ),
    "invisible_characters": _(
        "Contains an invisible or control character (%(characters)s); remove it."
    ),
    "cell_too_long": _("This cell has %(length)s characters; a cell may hold at most %(max)s."),
    # A file that cannot be read at all ("no_rows" is worded by each app: product or sales).
    "empty_file": _("The file is empty."),
    "undecodable": _(
        "The file's text encoding could not be recognised%(where)s. In Excel choose "
        "File > Save As > “CSV UTF-8 (comma delimited)” and upload that file."
    ),
    "unsupported_format": _(
        "This file is %(kind)s, not a spreadsheet we can read. Upload a CSV file or an "
        "Excel workbook (.xlsx)."
    ),
    "corrupt_file": _(
        "The workbook is damaged or incomplete (was the upload interrupted?). Save it again "
        "in Excel as .xlsx or as CSV UTF-8."
    ),
    "archive_too_large": _(
        "The workbook expands to more than the allowed size (%(reason)s). Remove unused "
        "sheets and formatting, or save it as CSV UTF-8."
    ),
    "too_many_columns": _("The file has %(count)s columns; at most %(max)s are allowed."),
    "too_many_rows": _("The file has more than %(max)s rows; split it into smaller files."),
}


def message_format(template: Any, params: dict[str, Any] | None = None) -> str:
    """A message template (lazy or not) filled in the active language: list parameters are
    joined with commas and a missing parameter is left empty, so a message never fails."""
    rendered = {key: _param_text(value) for key, value in (params or {}).items()}
    try:
        return str(template) % _Defaulting(rendered)
    except (TypeError, ValueError):
        return str(template)


def _param_text(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(_param_text(v)) for v in value)
    return value


class _Defaulting(dict):
    """A parameter dict that renders a missing parameter as an empty string."""

    def __missing__(self, key: str) -> str:
        return ""
