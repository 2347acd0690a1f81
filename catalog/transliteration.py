"""Uzbek Cyrillic to the official Uzbek Latin alphabet, letter by letter with context rules.

Source: "Oʻzbek tilining asosiy imlo qoidalari" (the main spelling rules of Uzbek), approved by
Resolution No. 339 of the Cabinet of Ministers of Uzbekistan of 24 August 1995, with the Latin
alphabet of the Law of 2 September 1993 as revised on 6 May 1995. The letter table and the
context rules below follow it; the same rules are encoded in the Unicode CLDR transform
`uz_Cyrl-uz_Latn` and in the BGN/PCGN 2000 table of correspondences for Uzbek.

- `ў` → `oʻ`, `ғ` → `gʻ`, written with U+02BB MODIFIER LETTER TURNED COMMA, never an
  apostrophe or U+2018; `ъ` → `ʼ` (U+02BC MODIFIER LETTER APOSTROPHE, the tutuq belgisi).
- `е` → `ye` at the start of a word, after a vowel and after `ъ` or `ь` (`ер` → `yer`,
  `поезд` → `poyezd`, `пьеса` → `pyesa`); elsewhere `e` (`кеча` → `kecha`).
- `ц` (Russian loans only): `s` at the start of a word, after a consonant, at the end of a word
  and after a prefix (`цирк` → `sirk`, `концерт` → `konsert`, `абзац` → `abzas`,
  `антициклон` → `antisiklon`); `ts` after a vowel inside the word's root (`милиция` →
  `militsiya`, `глицерин` → `glitserin`). Without a dictionary the end of the root is taken to
  be a following consonant, so a suffix keeps the stem's `s` (`абзацлар` → `abzaslar`); a doubled
  `цц` is one sound (`пицца` → `pitsa`); the only prefix recognised is `анти`.
- `ь` is dropped (`пальто` → `palto`), except before `о` and `и`, where it is `y`
  (`бульон` → `bulyon`); `щ` → `sh` and `ы` → `i` for Russian loans.
- Capitals are kept: a capital that becomes two letters is `Sh` inside a capitalised word and
  `SH` inside an all-caps word (`Шаҳар` → `Shahar`, `ШАҲАР` → `SHAHAR`, `ЧОЙ` → `CHOY`).
- Everything that is not a Cyrillic letter (Latin, digits, punctuation, Chinese) is kept as it
  is, so Latin text comes back unchanged and the function is idempotent.
"""

import re

# One output per lower-case letter; `е`, `ц` and `ь` are decided by their neighbours below.
LETTERS: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "x",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "\u02bc",
    "ы": "i",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ў": "o\u02bb",
    "қ": "q",
    "ғ": "g\u02bb",
    "ҳ": "h",
}
VOWELS = frozenset("аеёиоуэюяўaeiou")
_PREFIXES_BEFORE_TS = ("анти",)
_CYRILLIC = re.compile("[\u0400-\u04ff\u0500-\u052f]")
# The Cyrillic blocks without their signs and combining marks (U+0482 to U+0489).
_CYRILLIC_LETTER = re.compile("[\u0400-\u0481\u048a-\u04ff\u0500-\u052f]")


def is_uzbek_cyrillic(text: str | None) -> bool:
    """True when the text has a Cyrillic letter: Uzbek the marketplace wants in Latin."""
    return _CYRILLIC_LETTER.search(text or "") is not None


def _letter(text: str, index: int) -> str:
    """The lower-cased letter at index, or "" outside the text or on a non-letter."""
    if 0 <= index < len(text) and text[index].isalpha():
        return text[index].lower()
    return ""


def _after_prefix(text: str, index: int) -> bool:
    for prefix in _PREFIXES_BEFORE_TS:
        start = index - len(prefix)
        if start >= 0 and text[start:index].lower() == prefix and not _letter(text, start - 1):
            return True
    return False


def _latin(text: str, index: int, end: int) -> str:
    """The Latin for the Cyrillic letter at index (a run of `ц` ends at `end`), lower case."""
    char = text[index].lower()
    before, after = _letter(text, index - 1), _letter(text, end)
    if char == "е":
        return "ye" if not before or before in VOWELS or before in "ъь" else "e"
    if char == "ц":
        inside_root = before in VOWELS and after in VOWELS and not _after_prefix(text, index)
        return "ts" if inside_root else "s"
    if char == "ь":
        return "y" if after in ("о", "и") else ""
    return LETTERS.get(char, text[index])


def _cased(latin: str, text: str, index: int, end: int) -> str:
    """Latin for a capital: all caps inside an all-caps word, else only the first letter."""
    if len(latin) < 2:
        return latin.upper()
    after = text[end] if end < len(text) else ""
    before = text[index - 1] if index > 0 else ""
    if after.isalpha():
        all_caps = after.isupper()
    else:  # the word's last letter: as the one before it
        all_caps = before.isalpha() and before.isupper()
    return latin.upper() if all_caps else latin[0].upper() + latin[1:]


# Letters whose Latin depends on their neighbours: е, ц and ь, and the capitals that become two
# letters (Sh or SH). All the others go through one str.translate table.
_IN_CONTEXT = re.compile(
    "[цЦ]+|[еЕьЬ]|["
    + "".join(letter.upper() for letter, latin in LETTERS.items() if len(latin) > 1)
    + "]"
)
_TABLE = str.maketrans(
    dict(LETTERS)
    | {letter.upper(): latin.upper() for letter, latin in LETTERS.items() if len(latin) < 2}
)


def _in_context(match: re.Match[str]) -> str:
    text, index, end = match.string, match.start(), match.end()
    latin = _latin(text, index, end)
    return _cased(latin, text, index, end) if text[index].isupper() else latin


def uz_cyrillic_to_latin(text: str) -> str:
    """Uzbek in Cyrillic script in the official Latin alphabet; other characters unchanged."""
    if not text or not _CYRILLIC.search(text):
        return text
    return _IN_CONTEXT.sub(_in_context, text).translate(_TABLE)
