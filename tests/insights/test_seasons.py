"""The default seasons' dates."""

import datetime

import pytest

from insights.seasons import black_friday


@pytest.mark.parametrize(
    ("year", "day"), [(2024, 29), (2025, 28), (2026, 27), (2027, 26), (2028, 24)]
)
def test_it_finds_black_friday(year, day):
    assert black_friday(year) == datetime.date(year, 11, day)
