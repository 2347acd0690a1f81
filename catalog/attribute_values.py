"""Characteristic values and headers as sellers write them, in any of the 4 languages.

Pure functions (no queries): the caller hands in the category's attributes and options, so an
import reads a million cells without a query per cell. Refusals are TableError with the codes
the import reports: `unknown_value` {value, allowed} (enum and boolean), `invalid_number`
{value}, `too_long` {max, length} (text).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from django.utils.translation import get_language

from portal.tabular import TableError

LANGUAGES = ("en", "ru", "uz", "zh")
TEXT_MAX_LENGTH = 255
# Whole digits a number may have: a bigint's 18 is plenty for any characteristic.
NUMBER_MAX_DIGITS = 15

# Every apostrophe Uzbek is typed with (oʻ o' o` o’ oʼ) reads as one; Russian ё as е, since
# sellers write "черный" for "чёрный".
_FOLD = str.maketrans({"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "`": "'", "´": "'", "ё": "е"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The text as values are compared: width folded (NFKC), case folded (casefold), one
    apostrophe, ё as е, and no spaces ("64 GB" is "64gb", "Light blue" is "lightblue")."""
    value = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    return _SPACES.sub("", value)


class NamedLike(Protocol):
    code: str
    name_en: str
    name_ru: str
    name_uz: str
    name_zh: str


class AttributeLike(NamedLike, Protocol):
    type: str
    unit: str


def _language(language: str | None) -> str:
    code = (language or get_language() or "en").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def _names(item: NamedLike) -> tuple[str, ...]:
    return (item.code, item.name_en, item.name_ru, item.name_uz, item.name_zh)


# --- headers --------------------------------------------------------------------------------


def attribute_header_index(attributes: Iterable[NamedLike]) -> dict[str, NamedLike]:
    """Folded header -> attribute, for its code and its name in each language; the first
    attribute wins a name two share (the data keeps them apart within a category)."""
    index: dict[str, NamedLike] = {}
    for attribute in attributes:
        for name in _names(attribute):
            key = fold(name)
            if key:
                index.setdefault(key, attribute)
    return index


def attribute_for_header[T: NamedLike](header: str, attributes: Iterable[T]) -> T | None:
    """The attribute a column header names (its code, or its name in any of the 4 languages,
    case, width and spaces folded), or None."""
    key = fold(header or "")
    if not key:
        return None
    for attribute in attributes:
        if any(fold(name) == key for name in _names(attribute)):
            return attribute
    return None


# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionIndex:
    """An enum's options, ready for many cells: folded spelling -> option code, and the
    option names per language for the `unknown_value` message."""

    codes: Mapping[str, str]
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, options: Iterable[NamedLike]) -> "OptionIndex":
        options = list(options)
        codes: dict[str, str] = {}
        for option in options:  # codes first, so a code always means its own option
            codes.setdefault(fold(option.code), option.code)
        for option in options:
            for name in _names(option)[1:]:
                if fold(name):
                    codes.setdefault(fold(name), option.code)
        names = {
            language: tuple(getattr(option, f"name_{language}") for option in options)
            for language in LANGUAGES
        }
        return cls(codes=codes, names=names)


BOOLEAN_WORDS: dict[bool, tuple[str, ...]] = {
    True: ("yes", "y", "true", "1", "да", "ha", "ҳа", "是", "有"),
    False: ("no", "n", "false", "0", "нет", "yoʻq", "yo'q", "yoq", "йўқ", "否", "无", "無"),
}
BOOLEANS = {fold(word): value for value, words in BOOLEAN_WORDS.items() for word in words}
# What the `unknown_value` message lists for a boolean, per language.
BOOLEAN_ALLOWED = {"en": "yes, no", "ru": "да, нет", "uz": "ha, yoʻq", "zh": "是, 否"}

# How each unit may be written after a number (the unit itself is always accepted).
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "GB": ("GB", "ГБ", "G"),
    "TB": ("TB", "ТБ", "T"),
    "mAh": ("mAh", "мАч", "мА·ч", "мА*ч", "毫安", "毫安时"),
    "W": ("W", "Вт", "watt", "瓦"),
    "V": ("V", "В", "volt", "伏"),
    "cm": ("cm", "см", "sm", "厘米"),
    "mm": ("mm", "мм", "毫米"),
    "m": ("m", "м", "metr", "метр", "米"),
    "in": ("in", "inch", '"', "″", "дюйм", "дюйма", "дюймов", "dyuym", "英寸", "寸"),
    "g": ("g", "gr", "г", "гр", "克"),
    "kg": ("kg", "кг", "公斤", "千克"),
    "L": ("L", "л", "litr", "литр", "литра", "литров", "升"),
    "ml": ("ml", "мл", "毫升"),
    "h": ("h", "ч", "час", "часа", "часов", "soat", "小时"),
    "months": ("months", "month", "мес", "месяц", "месяца", "месяцев", "oy", "个月", "月"),
    "pcs": ("pcs", "шт", "dona", "件", "个", "颗", "片"),
    "Pa": ("Pa", "Па", "帕"),
    "rpm": ("rpm", "об/мин", "ayl/min", "转", "转/分"),
    "m²": ("m²", "м²", "м2", "kv.m", "кв.м", "平方米", "平米"),
    "%": ("%",),
}
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


@lru_cache(maxsize=256)
def unit_suffixes(unit: str) -> tuple[str, ...]:
    """The folded spellings of a unit, longest first (so "мАч" is tried before "ч")."""
    spellings = {fold(unit), *(fold(s) for s in UNIT_SPELLINGS.get(unit, ()))} - {""}
    return tuple(sorted(spellings, key=len, reverse=True))


def parse_number(text: str, unit: str = "") -> int | float:
    """`12`, `6,1`, `6.1`, `10 000`, `６.１`, `5000 mAh`, `5000мАч`: an int when whole,
    else a float (the values go to JSON); the unit may follow in any of its spellings.
    `invalid_number` for anything else (one comma is a decimal one: 1,5 is 1.5)."""
    if text.isascii() and text.isdigit() and len(text) <= NUMBER_MAX_DIGITS:
        return int(text)  # the common case, first
    value = fold(text).replace("\u2212", "-")
    for suffix in unit_suffixes(unit):
        if value.endswith(suffix) or value.endswith(suffix + "."):
            value = value[: value.rfind(suffix)]
            break
    if not _NUMBER.match(value):
        raise TableError("invalid_number", value=text)
    whole, _, fraction = value.replace(",", ".").partition(".")
    if len(whole.lstrip("+-").lstrip("0")) > NUMBER_MAX_DIGITS:
        raise TableError("invalid_number", value=text)
    if fraction.strip("0") == "":
        return int(whole)
    return float(f"{whole}.{fraction}")


def parse_attribute_value(
    attribute: AttributeLike,
    text: str | None,
    options: Iterable[NamedLike] | OptionIndex = (),
    *,
    language: str | None = None,
) -> str | int | float | bool | None:
    """A cell's value as stored: an enum's option code, a boolean, a number, stripped text;
    None for an empty cell (a missing value is the readiness check's business, not an error).

    `options` are the enum's options (or an OptionIndex built once for many cells); `language`
    (default: the active one) words the allowed values of `unknown_value`.
    """
    value = (text or "").strip()
    if not value:
        return None
    if attribute.type == "enum":
        index = options if isinstance(options, OptionIndex) else OptionIndex.build(options)
        code = index.codes.get(fold(value))
        if code is None:
            allowed = index.names.get(_language(language), ())
            raise TableError("unknown_value", value=value, allowed=", ".join(allowed))
        return code
    if attribute.type == "boolean":
        answer = BOOLEANS.get(fold(value))
        if answer is None:
            raise TableError(
                "unknown_value", value=value, allowed=BOOLEAN_ALLOWED[_language(language)]
            )
        return answer
    if attribute.type == "number":
        return parse_number(value, attribute.unit)
    if len(value) > TEXT_MAX_LENGTH:
        raise TableError("too_long", max=TEXT_MAX_LENGTH, length=len(value))
    return value
