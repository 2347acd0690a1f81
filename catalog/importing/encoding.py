"""How a staged row's JSON columns are written: photos and features as JSON arrays, the
characteristics as an object, the readiness issues and the row's problems, each the quick way
for the common case and encoded once where rows share a value."""

import json
from typing import Any

from portal.tabular import Problem


def json_list(items: list[str]) -> str:
    """A JSON array of strings, the quick way when no character needs escaping."""
    if not items:
        return "[]"
    raw = "".join(items)
    if '"' in raw or "\\" in raw or not raw.isprintable():
        return json.dumps(items, ensure_ascii=False)
    return '["' + '","'.join(items) + '"]'


class RepeatedList:
    """A list column's JSON, encoded once for the rows that share the list one after the other
    (a card's variants share their photos and features: catalog.importing.rows)."""

    __slots__ = ("items", "text")

    def __init__(self) -> None:
        self.items: list[str] | None = None
        self.text = "[]"

    def __call__(self, items: list[str]) -> str:
        if items is not self.items:
            self.items = items
            self.text = json_list(items)
        return self.text


def json_object(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False) if value else "{}"


def _without_nul(text: str) -> str:
    """PostgreSQL's jsonb cannot hold NUL: where a text quotes one, it shows U+FFFD."""
    return text.replace("\\u0000", "\\ufffd")


def issues_json(issues: list[dict[str, Any]]) -> str:
    """The stored readiness issues as JSON."""
    if not issues:
        return "[]"
    return _without_nul(json.dumps(issues, ensure_ascii=False, separators=(",", ":")))


def _problems_text(problems: list[Problem]) -> str:
    return _without_nul(json.dumps([problem_json(p) for p in problems]))


class _Encoded(list):
    """A list with its JSON encoded once: rows that share the list share the text."""

    def __init__(self, items: list, text: str) -> None:
        super().__init__(items)
        self.text = text


class StoredIssues(_Encoded):
    """A row's readiness issues as stored: the rows of a file with the same issues share one
    (catalog.importing.variants)."""

    def __init__(self, issues: list[dict[str, Any]]) -> None:
        super().__init__(issues, issues_json(issues))


class EncodedProblems(_Encoded):
    """Problems as staged: the rows whose only problems are the same readiness warnings share
    one list (catalog.importing.variants)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, _problems_text(problems))


def stored_issues_json(issues: list[dict[str, Any]]) -> str:
    return issues.text if isinstance(issues, StoredIssues) else issues_json(issues)


def problem_json(problem: Problem) -> list[Any]:
    return [problem.column, problem.code, problem.params, problem.severity]


def problems_json(problems: list[Problem]) -> str:
    """A row's problems as staged."""
    return problems.text if type(problems) is EncodedProblems else _problems_text(problems)
