"""Fixtures for insights tests: the sample sales report and its expected figures."""

import json
from pathlib import Path

import pytest

# Copies of /work/shared/samples/sales_2025.csv and its part of expected.json.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "insights"


@pytest.fixture
def sample_sales_path() -> Path:
    return FIXTURES / "sales_2025.csv"


@pytest.fixture
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))["sales_2025.csv"]
