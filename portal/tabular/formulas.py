"""Cells written out to spreadsheets, made safe from formula injection."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """Text a spreadsheet would evaluate gets a leading apostrophe (OWASP CSV injection).

    Used by every export: the error report, the template, product CSV/XLSX, the admin exports
    and the insights downloads. The stored value is never changed; only what is written out is.
    """
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
