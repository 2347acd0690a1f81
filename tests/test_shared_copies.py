"""Copies of ../shared kept in the checkout stay equal to their originals when those are beside it.

The tests read only the copies (tests/fixtures/samples/, tests/fixtures/RELIABILITY.md), so they
need nothing outside the checkout; where ../shared exists, a changed original fails here until
it is copied again.
"""

from pathlib import Path

import pytest

from tests.conftest import SAMPLES, SHARED

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COPIES = [
    (SAMPLES / path.name, SHARED / "samples" / path.name) for path in sorted(SAMPLES.iterdir())
]
COPIES.append((FIXTURES / "RELIABILITY.md", SHARED / "RELIABILITY.md"))


def test_it_keeps_the_sample_files_in_the_checkout():
    assert (SAMPLES / "expected.json").is_file() and (SAMPLES / "catalog_utf8.csv").is_file()


@pytest.mark.parametrize(("copy", "original"), COPIES, ids=[copy.name for copy, _ in COPIES])
def test_it_keeps_each_copy_equal_to_its_original(copy: Path, original: Path):
    if not original.is_file():
        pytest.skip(f"{original} is not beside the checkout")
    assert copy.read_bytes() == original.read_bytes(), f"copy {original} to {copy} again"
