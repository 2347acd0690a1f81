"""Header cells compared as people mean them."""

import pytest

from portal.tabular import header_key


@pytest.mark.parametrize(
    "cell, key",
    [
        ("  SKU ", "sku"),
        ("Narx  (so'm)", "narx(so'm)"),
        ("Narx (soʻm)", "narx(so'm)"),  # U+02BB, the official Uzbek Latin letter
        ("Narx (so‘m)", "narx(so'm)"),
        ("Narx (so`m)", "narx(so'm)"),
        ("OGʻIRLIK (g)", "og'irlik(g)"),
        ("商品名称（乌兹别克语）", "商品名称(乌兹别克语)"),
        ("\ufeffsku", "sku"),
        ("Выручка\u200b (сум)", "выручка(сум)"),
        ("", ""),
    ],
)
def test_it_ignores_case_spaces_bom_full_width_forms_and_apostrophes(cell, key):
    assert header_key(cell) == key
