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
from typing import Protocol, TypeGuard

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
    """Read-only, so a model and a frozen AttributeSpec (properties) are both one."""

    @property
    def code(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def name_ru(self) -> str: ...
    @property
    def name_uz(self) -> str: ...
    @property
    def name_zh(self) -> str: ...


class AttributeLike(NamedLike, Protocol):
    @property
    def type(self) -> str: ...
    @property
    def unit(self) -> str: ...


def _language(language: str | None) -> str:
    code = (language or get_language() or "en").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def params_in_language(params: Mapping[str, object], language: str | None = None) -> dict:
    """Message parameters with those stored in every language ({"en": ..., "ru": ...}, e.g.
    an attribute's name or its allowed values) given in the reader's language."""
    code = _language(language)

    def pick(value: object) -> object:
        if _by_language(value):
            return value.get(code) or value.get("en", "")
        if isinstance(value, list):
            return [pick(item) for item in value]
        return value

    return {name: pick(value) for name, value in params.items()}


def _by_language(value: object) -> TypeGuard[dict[str, object]]:
    return isinstance(value, dict) and "en" in value and set(value) <= set(LANGUAGES)


def _names(item: NamedLike) -> tuple[str, ...]:
    return (item.code, item.name_en, item.name_ru, item.name_uz, item.name_zh)


# --- headers --------------------------------------------------------------------------------


def attribute_header_index[T: NamedLike](attributes: Iterable[T]) -> dict[str, tuple[T, ...]]:
    """Folded header -> the attributes it may name, for their code and their name in each
    language. Several attributes share a name ("Size" is the clothes', the shoes' and the kids'
    size; "Product type" a dozen categories'): the row's category picks one of them
    (`attribute_pick`), since the data keeps names apart within a category. A code names its
    own attribute first, then the attributes of that name: "volume" is the fridge's volume,
    and the perfume's volume_ml in a row of perfume; "Size" (the code of the clothes' size)
    is the shoe_size in a row of shoes."""
    attributes = list(attributes)
    index: dict[str, tuple[T, ...]] = {}
    for attribute in attributes:
        index[fold(attribute.code)] = (attribute,)
    for attribute in attributes:
        for name in _names(attribute)[1:]:
            key = fold(name)
            if key and attribute not in index.get(key, ()):
                index[key] = (*index.get(key, ()), attribute)
    return index


def attribute_pick[T: NamedLike](candidates: tuple[T, ...], allowed: Iterable[str]) -> T:
    """The one of the attributes a header may name that the category has (else the first)."""
    allowed = set(allowed)
    return next((a for a in candidates if a.code in allowed), candidates[0])


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
        # "128" for "128 GB": a number alone names the option whose names are that number and
        # a unit, unless two options share the number (then it names neither).
        bare: dict[str, set[str]] = {}
        for option in options:
            for name in _names(option)[1:]:
                found = _NUMBER_AND_UNIT.match(fold(name))
                if found:
                    bare.setdefault(found.group(1), set()).add(option.code)
        for number, owners in bare.items():
            if len(owners) == 1:
                codes.setdefault(number, next(iter(owners)))
        names = {
            language: tuple(getattr(option, f"name_{language}") for option in options)
            for language in LANGUAGES
        }
        return cls(codes=codes, names=names)


_NUMBER_AND_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)[^\d\s.,]+$")

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
