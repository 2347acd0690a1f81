"""A file's cards: characteristics, variants, Uzbek in Latin and readiness, row by row.

`CardChecker.check` runs after the row rules (rows.py) on every row of an import. It reads the
characteristics' cells, groups rows into cards by their `group`, and stores each accepted row's
readiness with it, so the catalog never needs a second pass.

Variants: the first accepted row of a group gives the card's values (CARD_FIELDS); a later row
that disagrees is `group_mismatch`, naming that row; rows of a group need their variant axes
(`duplicate_variant` with the hint `axis_missing`) and a combination of them no other row of the
group has (`duplicate_variant`, naming both rows). What is remembered per group is small: the first row
and a hash of the card's values; the variants as a hash of (group, axis values) -> row, both in
compact tables (fingerprints.py: 24 bytes per entry, at most half full).
"""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from catalog.attribute_values import attribute_pick
from catalog.cards import (
    CARD_FIELDS,
    AttributeSpec,
    CardRules,
    attribute_value_parse,
    readiness_arguments,
    uzbek_transliterate,
)
from catalog.importing.columns import ColumnMap
from catalog.importing.encoding import EncodedProblems, StoredIssues
from catalog.importing.fingerprints import FingerprintTable
from catalog.importing.rows import LIST_COLUMNS, CardMemo
from catalog.readiness import Readiness, card_facts, readiness_of, variant_facts
from portal.tabular import Problem, TableError

# Groups whose card values are kept whole, to name the fields a mismatching row differs in;
# an older group's mismatch names every card field it may be (its hash is all that is left).
RECENT_GROUPS = 256
# Distinct characteristic cells remembered with their parsed value (most files repeat a few).
VALUE_CACHE_SIZE = 100_000
# Distinct combinations of a row's characteristic cells remembered with their values.
COMBINATIONS = 10_000
# Distinct readiness facts remembered with their issues (most rows share a few).
READINESS_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class _Missing:
    """A cell refused: the error to report again for the same text."""

    code: str
    params: dict[str, Any]


_card_fields = itemgetter(*CARD_FIELDS)
_CARD_LISTS = [i for i, name in enumerate(CARD_FIELDS) if name in LIST_COLUMNS]


def _card_values(values: dict[str, Any]) -> tuple:
    """The card's values, hashable (its lists as tuples)."""
    card = list(_card_fields(values))
    for i in _CARD_LISTS:
        card[i] = tuple(card[i])
    return tuple(card)


class CardChecker:
    """The card rules of one import, over its rows in file order."""

    def __init__(
        self, rules: CardRules, column_map: ColumnMap, *, transliterate: bool, rows: int = 0
    ) -> None:
        """`rows`: how many the file is expected to have (its variants table is made for
        them at once, not grown step by step)."""
        self.rules = rules
        # (position, the characteristics its header may name), the category picks one
        self.columns: list[tuple[int, tuple[AttributeSpec, ...]]] = sorted(
            column_map.attributes.items()
        )
        self.report = column_map.is_card_file
        self.transliterate = transliterate
        # hash(group) -> (first row, hash of the card's values); compact, as every row adds one
        self.groups = FingerprintTable()
        self.recent: OrderedDict[str, tuple] = OrderedDict()
        # hash((group, axis values)) -> first row
        self.variants = FingerprintTable(
            FingerprintTable.capacity_for(rows if "group" in column_map.index else 0)
        )
        # characteristic -> cell text -> parsed value (or _Missing); the columns per category
        self.cache: dict[str, dict[str, Any]] = {}
        self.cached = 0
        # (category, the row's characteristic cells) -> its characteristics, when all right
        self.combinations: dict[tuple, dict[str, Any]] = {}
        positions = [position for position, _specs in self.columns]
        self.last_position = max(positions, default=-1)
        self.cells_of: Callable[[list[str]], Any] = itemgetter(*positions) if positions else tuple
        self.resolved: dict[int | None, list[tuple[int, AttributeSpec, dict, bool]]] = {}
        # (category, readiness facts) -> (readiness, issues as stored, warnings)
        self.readiness: dict[tuple, tuple[Readiness, StoredIssues, EncodedProblems]] = {}
        self.card: tuple[str, tuple] = ("", ())  # the last group and its card's facts
        self.transliterated: tuple[tuple, list[tuple[str, str, Any]]] = ((), [])
        # The last card's checked cells (rows.validate_texts): its variants repeat them.
        self.memo = CardMemo()
        # The group and card cells (memo.serial) of the last row whose card values matched
        # its group's: the next variant with the same cells matches too.
        self.matched: tuple[str, int] = ("", 0)

    # --- characteristics --------------------------------------------------------------------

    def _attributes(
        self, cells: list[str], category_id: int | None, problems: list[Problem]
    ) -> dict[str, Any]:
        """The row's characteristics; the same dictionary for rows with the same cells and
        category when they are all right (the stager encodes it once)."""
        if not self.columns:
            return {}
        if len(cells) <= self.last_position:  # a short row: its cells read one by one
            return self._attributes_read(cells, category_id, problems)
        key = (category_id, self.cells_of(cells))
        found = self.combinations.get(key)
        if found is None:
            before = len(problems)
            found = self._attributes_read(cells, category_id, problems)
            if len(problems) == before and len(self.combinations) < COMBINATIONS:
                self.combinations[key] = found
        return found

    def _attributes_read(
        self, cells: list[str], category_id: int | None, problems: list[Problem]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}
        columns = self.resolved.get(category_id)
        if columns is None:
            columns = self.resolved[category_id] = self._resolve(category_id)
        width = len(cells)
        for position, spec, cache, known in columns:
            text = cells[position].strip() if position < width else ""
            if not text:
                continue
            value = cache.get(text)
            if value is None:
                try:
                    value = attribute_value_parse(spec, text)
                except TableError as error:
                    value = _Missing(error.code, error.params)
                if self.cached < VALUE_CACHE_SIZE:
                    cache[text] = value
                    self.cached += 1
            if isinstance(value, _Missing):
                problems.append(Problem(spec.code, value.code, dict(value.params)))
            elif not known:
                problems.append(Problem(spec.code, "unknown_attribute", {"value": text}, "warning"))
            else:
                found[spec.code] = value
        return found

    def _resolve(self, category_id: int | None) -> list[tuple[int, AttributeSpec, dict, bool]]:
        """The characteristic each column names in a category's rows (a name several share,
        "Size", is the category's), with its cell cache, and whether the category has it."""
        category = self.rules.for_category(category_id)
        allowed = category.attributes if category else ()
        resolved = []
        for position, candidates in self.columns:
            spec = candidates[0] if len(candidates) == 1 else attribute_pick(candidates, allowed)
            cache = self.cache.setdefault(spec.code, {})
            resolved.append((position, spec, cache, category is None or spec.code in allowed))
        return resolved

    # --- variants ---------------------------------------------------------------------------

    def _variant_problem(self, number: int, group: str, values: dict[str, Any]) -> Problem | None:
        category = self.rules.for_category(values["category_id"])
        axes = category.axes if category else ()
        attributes = values["attributes"]
        missing = [code for code in axes if code not in attributes]
        if missing:
            # Contract code duplicate_variant (DESIGN.md): the axes must be present and unique;
            # the hint words it as the missing value, naming the card's first row.
            known = self.groups.get(hash(group))
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
        matched = (group, self.memo.serial)
        if matched != self.matched or not matched[1]:  # serial 0: no memo behind the values
            problem = self._card_problem(number, group, values)
            if problem is not None:
                return problem
            self.matched = matched
        if not axes:
            return None
        key = tuple([attributes[code] for code in axes])
        variant = hash((group, key))
        seen = self.variants.setdefault(variant, number)
        if seen is not None:
            first_variant = seen[0]
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

    def _card_problem(self, number: int, group: str, values: dict[str, Any]) -> Problem | None:
        """`group_mismatch` when the row's card values differ from its group's first row's."""
        card = _card_values(values)
        card_hash = hash(card)
        known = self.groups.setdefault(hash(group), number, card_hash)
        if known is None:
            self._remember(group, card)
        else:
            first_row, first_hash = known
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
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """Complete a row's values with its card's (characteristics, Uzbek in Latin,
        readiness) and add the card rules' problems to `problems`: (values, problems), values
        None when rejected. A row whose only problems are its readiness warnings gets the
        list its facts share (EncodedProblems), which nobody changes."""
        category_id = values["category_id"] if values is not None else None
        before = len(problems)
        attributes = self._attributes(cells, category_id, problems)
        if values is None or (
            len(problems) > before and any(p.severity == "error" for p in problems[before:])
        ):
            return None, problems
        values["attributes"] = attributes
        if self.transliterate:
            for name, original in self._transliterate(values):
                problems.append(Problem(name, "transliterated", {"original": original}, "warning"))
        group = values["group"]
        if group:
            problem = self._variant_problem(number, group, values)
            if problem is not None:
                problems.append(problem)
                return None, problems
        readiness, stored, warnings = self._readiness(values)
        values["readiness_state"] = readiness.state
        values["readiness_issues"] = stored
        if warnings:
            # One file fixes both: the readiness issues of an accepted row, as warnings (the
            # row's own title_style warning is one of them, better worded).
            problems = [p for p in problems if p.code != "title_style"]
            if not problems:
                return values, warnings
            problems.extend(warnings)
        return values, problems

    def _transliterate(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """`uzbek_transliterate`, once for the variants of a card that follow each other (the
        same Uzbek texts: the same outcome)."""
        texts = (values["title_uz"], values["description_uz"], values["features_uz"])
        last, written = self.transliterated
        if texts != last:
            changed = uzbek_transliterate(values)
            written = [(name, original, values[name]) for name, original in changed]
            self.transliterated = (texts, written)
            return changed
        for name, _original, text in written:
            values[name] = text
        return [(name, original) for name, original, _text in written]

    def _readiness(self, values: dict[str, Any]) -> tuple[Readiness, StoredIssues, EncodedProblems]:
        """The row's readiness, its issues as stored and, in a card file, as warnings. Rows
        with the same facts (most rows of a catalogue) share them: one lookup per row. The
        card's own facts are read once for the variants of a group that follow each other
        (a variant that reaches here has the card values of its group's first row)."""
        category_id = values["category_id"]
        category = self.rules.for_category(category_id)
        group = values["group"]
        if group and group == self.card[0]:
            card = self.card[1]
        else:
            card = card_facts(values)
            self.card = (group, card)
        facts = card + variant_facts(values, category.required if category else ())
        key = (category_id, facts)
        found = self.readiness.get(key)
        if found is None:
            readiness = readiness_of(facts, **readiness_arguments(category, self.rules))
            warnings = EncodedProblems(
                [
                    Problem(
                        issue.field,
                        issue.code,
                        {**issue.params, "field": issue.field, "kind": issue.kind},
                        "warning",
                    )
                    for issue in readiness.issues
                ]
                if self.report
                else []
            )
            found = (readiness, StoredIssues(readiness.to_json()["issues"]), warnings)
            if len(self.readiness) < READINESS_CACHE_SIZE:
                self.readiness[key] = found
        return found
