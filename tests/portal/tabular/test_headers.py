"""Header cells compared as people mean them."""

import pytest

from portal.tabular import header_key


@pytest.mark.parametrize(
    "cell, key",
    [
        ("  SKU ", "sku"),
        ("Narx  (so'm)", "narx(so'm)"),
        ("商品名称（乌兹别克语）", "商品名称(乌兹别克语)"),
        ("\ufeffsku", "sku"),
        ("Выручка\u200b (сум)", "выручка(сум)"),
        ("", ""),
    ],
)
def test_it_ignores_case_spaces_bom_and_full_width_forms(cell, key):
    assert header_key(cell) == key
