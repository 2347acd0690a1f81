"""What the card pages show of stored values: characteristics by name in the reader's language
(enum values by their option's name, not its code), and readiness as badges and messages.

Stored values stay codes (`Product.attributes`: {attribute code: option code, number, bool or
text}; `readiness_issues`: codes and parameters), so each reader sees them in their language.
Names are loaded for the codes on the page only: two queries, none for a page without
characteristics.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Attribute, AttributeOption, Product
from catalog.readiness import NEEDS_FIXES, READY, Readiness

LANGUAGE_FIELDS = ("name_en", "name_ru", "name_uz", "name_zh")


def _language() -> str:
    code = (get_language() or "en").split("-")[0].lower()
    return code if code in ("en", "ru", "uz", "zh") else "en"


def _name(names: Mapping[str, str], language: str) -> str:
    return names.get(f"name_{language}") or names.get("name_en") or ""


@dataclass(frozen=True)
class Characteristic:
    code: str
    name: str
    value: str


@dataclass
class AttributeNames:
    """Attribute and option names for some attribute codes, in every language."""

    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, products: Iterable[Product]) -> "AttributeNames":
        """The names the products' characteristics need (no query when they have none)."""
        codes: set[str] = set()
        values: set[str] = set()
        for product in products:
            for code, value in (product.attributes or {}).items():
                codes.add(code)
                if isinstance(value, str):
                    values.add(value)
        names = cls()
        if not codes:
            return names
        for row in Attribute.objects.filter(code__in=codes).values(
            "code", "type", "unit", *LANGUAGE_FIELDS
        ):
            names.attributes[row["code"]] = row
        if values:
            options = AttributeOption.objects.filter(
                attribute__code__in=codes, code__in=values
            ).values("attribute__code", "code", *LANGUAGE_FIELDS)
            for row in options:
                names.options[(row["attribute__code"], row["code"])] = row
        return names

    def value_text(self, code: str, value: Any) -> str:
        language = _language()
        attribute = self.attributes.get(code)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, int | float):
            text = number_format(value, force_grouping=True)
            unit = attribute["unit"] if attribute else ""
            return f"{text} {unit}" if unit else text
        if isinstance(value, str) and (code, value) in self.options:
            return _name(self.options[(code, value)], language) or value
        if isinstance(value, list):
            return ", ".join(self.value_text(code, item) for item in value)
        return "" if value is None else str(value)

    def characteristics(self, attributes: Mapping[str, Any] | None) -> list[Characteristic]:
        """A product's characteristics, named in the active language, in stored order."""
        language = _language()
        found = []
        for code, value in (attributes or {}).items():
            if value is None or value == "":
                continue
            attribute = self.attributes.get(code)
            name = _name(attribute, language) if attribute else code
            found.append(Characteristic(code, name or code, self.value_text(code, value)))
        return found


@dataclass(frozen=True)
class ReadinessView:
    """A readiness as a page shows it: the state, its badge label and each issue's message."""

    state: str
    issues: tuple[dict[str, str], ...]

    @property
    def is_ready(self) -> bool:
        return self.state == READY

    @property
    def count(self) -> int:
        return len(self.issues)

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(issue["code"] for issue in self.issues))

    @property
    def label(self) -> str:
        return _("Ready") if self.is_ready else _("Needs fixes")


def readiness_view(readiness: Readiness, state: str | None = None) -> ReadinessView:
    """From a Readiness; `state` is the stored one when known (a product stored before the
    check ran is "needs_fixes" without issues until it is checked again)."""
    stored = state or readiness.state
    if readiness.issues:
        stored = NEEDS_FIXES
    return ReadinessView(stored, tuple(issue.as_dict() for issue in readiness.issues))


def product_readiness_view(product: Product) -> ReadinessView:
    """A variant's stored readiness."""
    readiness = Readiness.from_json({"issues": product.readiness_issues or []})
    return readiness_view(readiness, product.readiness_state)
