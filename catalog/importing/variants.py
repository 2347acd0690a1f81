"""A file's cards: characteristics, variants, Uzbek in Latin and readiness, row by row.

`CardChecker.check` runs after the row rules (rows.py) on every row of an import. It reads the
characteristics' cells, groups rows into cards by their `group`, and stores each accepted row's
readiness with it, so the catalog never needs a second pass.

Variants: the first accepted row of a group gives the card's values (CARD_FIELDS); a later row
that disagrees is `group_mismatch`, naming that row; rows of a group need their variant axes
(`duplicate_variant` with the hint `axis_missing`) and a combination of them no other row of the group has
(`duplicate_variant`, naming both rows). What is remembered per group is small: the first row
and a hash of the card's values; the variants as a hash of (group, axis values) -> row. A
million rows in 200,000 groups keep about 130 MB (bench/import/README.md).
"""

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from catalog.attribute_values import attribute_pick
from catalog.cards import (
    CARD_FIELDS,
    AttributeSpec,
    CardRules,
    attribute_value_parse,
    product_readiness,
    uzbek_transliterate,
)
from catalog.importing.columns import ColumnMap
from catalog.readiness import Readiness
from portal.tabular import Problem, TableError

# Groups whose card values are kept whole, to name the fields a mismatching row differs in;
# an older group's mismatch names every card field it may be (its hash is all that is left).
RECENT_GROUPS = 256
# Distinct characteristic cells remembered with their parsed value (most files repeat a few).
VALUE_CACHE_SIZE = 100_000
STORED_CACHE_SIZE = 10_000
_NO_ISSUES: list[dict[str, Any]] = []


@dataclass(frozen=True)
class _Missing:
    """A cell refused: the error to report again for the same text."""

    code: str
    params: dict[str, Any]


def _hashable(value: Any) -> Any:
    """A parameter as a cache key: a name in every language ({language: name}) as its items."""
    return tuple(sorted(value.items())) if isinstance(value, dict) else value


def _card_values(values: dict[str, Any]) -> tuple:
    return tuple(
        tuple(value) if isinstance(value, list) else value
        for value in (values[name] for name in CARD_FIELDS)
    )


class CardChecker:
    """The card rules of one import, over its rows in file order."""

    def __init__(self, rules: CardRules, column_map: ColumnMap, *, transliterate: bool) -> None:
        self.rules = rules
        # (position, the characteristics its header may name), the category picks one
        self.columns: list[tuple[int, tuple[AttributeSpec, ...]]] = sorted(
            column_map.attributes.items()
        )
        self.report = column_map.is_card_file
        self.transliterate = transliterate
        # group -> (first row, hash of the card's values, category id)
        self.groups: dict[str, tuple[int, int, int | None]] = {}
        self.recent: OrderedDict[str, tuple] = OrderedDict()
        self.variants: dict[int, int] = {}  # hash((group, axis values)) -> first row
        self.cache: dict[tuple[str, str], Any] = {}
        self.stored: dict[tuple, list[dict[str, Any]]] = {}

    # --- characteristics --------------------------------------------------------------------

    def _attributes(
        self, cells: list[str], category_id: int | None, problems: list[Problem]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if not self.columns:
            return found
        category = self.rules.for_category(category_id)
        allowed = category.attributes if category else ()
        width = len(cells)
        cache = self.cache
        for position, candidates in self.columns:
            text = cells[position].strip() if position < width else ""
            if not text:
                continue
            spec = candidates[0] if len(candidates) == 1 else attribute_pick(candidates, allowed)
            key = (spec.code, text)
            value = cache.get(key)
            if value is None:
                try:
                    value = attribute_value_parse(spec, text)
                except TableError as error:
                    value = _Missing(error.code, error.params)
                if len(cache) < VALUE_CACHE_SIZE:
                    cache[key] = value
            if isinstance(value, _Missing):
                problems.append(Problem(spec.code, value.code, dict(value.params)))
            elif category is not None and spec.code not in allowed:
                problems.append(Problem(spec.code, "unknown_attribute", {"value": text}, "warning"))
            else:
                found[spec.code] = value
        return found

    # --- variants ---------------------------------------------------------------------------

    def _variant_problem(self, number: int, group: str, values: dict[str, Any]) -> Problem | None:
        card = _card_values(values)
        card_hash = hash(card)
        category = self.rules.for_category(values["category_id"])
        axes = category.axes if category else ()
        attributes = values["attributes"]
        missing = [code for code in axes if code not in attributes]
        known = self.groups.get(group)
        if missing:
            # Contract code duplicate_variant (DESIGN.md): the axes must be present and unique;
            # the hint words it as the missing value, naming the card's first row.
            spec = self.rules.attributes[missing[0]]
            return Problem(
                spec.code,
                "duplicate_variant",
                {
                    "hint": "axis_missing",
                    "group": group,
                    "first_row": known[0] if known else number,
                    "row": number,
                    "attribute": spec.names,
                    "axes": [self.rules.attributes[code].names for code in axes],
                },
            )
        if known is None:
            self.groups[group] = (number, card_hash, values["category_id"])
            self._remember(group, card)
        else:
            first_row, first_hash, _category = known
            if first_hash != card_hash:
                first = self.recent.get(group)
                fields = (
                    [name for name, a, b in zip(CARD_FIELDS, first, card, strict=True) if a != b]
                    if first is not None
                    else list(CARD_FIELDS)
                )
                fields = [name.removesuffix("_id") for name in fields]
                return Problem(
                    fields[0],
                    "group_mismatch",
                    {"group": group, "first_row": first_row, "fields": fields},
                )
        if not axes:
            return None
        key = tuple(attributes[code] for code in axes)
        variant = hash((group, key))
        first_variant = self.variants.setdefault(variant, number)
        if first_variant != number:
            return Problem(
                axes[0],
                "duplicate_variant",
                {
                    "group": group,
                    "first_row": first_variant,
                    "row": number,
                    "values": [
                        self.rules.attributes[code].value_label(value)
                        for code, value in zip(axes, key, strict=True)
                    ],
                    "axes": [self.rules.attributes[code].names for code in axes],
                },
            )
        return None

    def _remember(self, group: str, card: tuple) -> None:
        self.recent[group] = card
        if len(self.recent) > RECENT_GROUPS:
            self.recent.popitem(last=False)

    # --- the row ----------------------------------------------------------------------------

    def check(
        self,
        number: int,
        cells: list[str],
        values: dict[str, Any] | None,
        problems: list[Problem],
    ) -> dict[str, Any] | None:
        """Complete a row's values with its card's (characteristics, Uzbek in Latin,
        readiness) and add the card rules' problems to `problems`; None when rejected."""
        category_id = values["category_id"] if values is not None else None
        before = len(problems)
        attributes = self._attributes(cells, category_id, problems)
        if values is None or any(p.severity == "error" for p in problems[before:]):
            return None
        values["attributes"] = attributes
        if self.transliterate:
            for name, original in uzbek_transliterate(values):
                problems.append(Problem(name, "transliterated", {"original": original}, "warning"))
        group = values["group"]
        if group:
            problem = self._variant_problem(number, group, values)
            if problem is not None:
                problems.append(problem)
                return None
        readiness = product_readiness(values, self.rules)
        values["readiness_state"] = readiness.state
        values["readiness_issues"] = self._stored(readiness)
        if self.report and readiness.issues:
            # One file fixes both: the readiness issues of an accepted row, as warnings (the
            # row's own title_style warning is one of them, better worded).
            problems[:] = [p for p in problems if p.code != "title_style"]
            for issue in readiness.issues:
                params = {**issue.params, "field": issue.field, "kind": issue.kind}
                problems.append(Problem(issue.field, issue.code, params, "warning"))
        return values

    def _stored(self, readiness: Readiness) -> list[dict[str, Any]]:
        """The issues as stored; rows with the same issues share one list (and the writer
        encodes it once), so most rows cost a dictionary lookup."""
        issues = readiness.issues
        if not issues:
            return _NO_ISSUES
        try:
            key = tuple(
                (i.code, i.field, i.kind, tuple((k, _hashable(v)) for k, v in i.params.items()))
                for i in issues
            )
            stored = self.stored.get(key)
        except TypeError:  # a parameter in every language (a dict): not shared
            return readiness.to_json()["issues"]
        if stored is None:
            stored = [issue.to_json() for issue in issues]
            if len(self.stored) < STORED_CACHE_SIZE:
                self.stored[key] = stored
        return stored
