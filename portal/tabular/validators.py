"""The reading layer's cell rules as Django validators, for text typed into a form or the API."""

from typing import Any

from django.core.exceptions import ValidationError

from portal.tabular.messages import READING_MESSAGES, message_format
from portal.tabular.table import cell_problems


def validate_visible_text(value: Any) -> None:
    """Refuse what a file's cell may not hold either: NUL, lone surrogates, zero-width and bidi
    characters, more than Excel's 32,767 characters; with the importer's own message."""
    if not isinstance(value, str):
        return
    problems = cell_problems([value])
    if problems:
        raise ValidationError(
            [
                ValidationError(
                    message_format(READING_MESSAGES[problem.code], problem.params),
                    code=problem.code,
                )
                for problem in problems
            ]
        )
