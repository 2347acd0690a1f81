"""Header cells compared as people mean them: case, spaces and full-width forms ignored."""

import re
import unicodedata

_SPACES = re.compile(r"[\s\u200b\ufeff]+")


def header_key(text: str) -> str:
    """Normalise a header cell: full-width forms folded (NFKC), case and all spaces ignored."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).casefold()
