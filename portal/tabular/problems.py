"""One coded problem in a file, a row or a cell, and the exceptions that raise one."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem[Column]:
    """A stable `code` with the parameters of its message; the message is rendered by the app.

    `column` is a cell index where the reader found the problem (`Problem[int]`) or a column
    name where a rule did (`Problem[str]`); None or "" for the whole row. `row` is the row
    number a spreadsheet shows, None for the whole file.
    """

    column: Column | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"
    row: int | None = None


class TableError(Exception):
    """A file, row or value refused: a stable code and the parameters of its message.

    Raised by the readers for a file that cannot be read at all, and by the value parsers and
    the apps' rules for one bad value; whoever shows it renders the message from the code.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class PreviewIncomplete(Exception):
    """Opening a file for its header only, the first rows needed more than a request may
    parse (a workbook's shared strings, say): the worker checks the file instead.

    `detected` is what could be told already (the format).
    """

    def __init__(self, detected: dict[str, Any]) -> None:
        super().__init__("the first rows need more than a preview reads")
        self.detected = detected
