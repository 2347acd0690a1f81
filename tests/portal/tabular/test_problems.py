"""One coded problem, and the one exception that carries a code and its parameters."""

import pytest

from portal.tabular import Problem, TableError


def test_a_problem_is_the_whole_row_and_an_error_unless_told_otherwise():
    problem = Problem(None, "wrong_cell_count", {"found": 4, "expected": 13})
    assert (problem.column, problem.row, problem.severity) == (None, None, "error")
    assert Problem("title_uz", "title_style", {}, "warning", row=7).severity == "warning"


def test_problems_compare_by_value_and_cannot_be_changed():
    assert Problem(3, "cell_too_long") == Problem(3, "cell_too_long", {})
    with pytest.raises(AttributeError):
        Problem(3, "cell_too_long").code = "other"  # type: ignore[misc]


def test_the_error_carries_its_code_and_parameters_but_no_wording():
    error = TableError("too_many_rows", max=50)
    assert (error.code, error.params, str(error)) == ("too_many_rows", {"max": 50}, "too_many_rows")
    assert not hasattr(error, "message")  # apps render it where they show it
    assert not isinstance(error, ValueError)  # never swallowed by an `except ValueError`
