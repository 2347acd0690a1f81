"""Header cells compared as people mean them: case, spaces, full-width forms and the forms of
the apostrophe ignored."""

import re
import unicodedata

_SPACES = re.compile(r"[\s\u200b\ufeff]+")
# Uzbek is typed with any of these for the apostrophe of oʻ, gʻ and the tutuq belgisi: `Narx
# (soʻm)`, `Narx (so‘m)` and `Narx (so'm)` are one header.
_APOSTROPHES = str.maketrans(dict.fromkeys("ʻʼ‘’`´", "'"))


def header_key(text: str) -> str:
    """Normalise a header cell: full-width forms folded (NFKC), case, all spaces and the
    apostrophe's forms ignored."""
    folded = unicodedata.normalize("NFKC", (text or "").translate(_APOSTROPHES))
    return _SPACES.sub("", folded).casefold()
