"""The compact fingerprint table the card checker keeps its groups and variants in."""

from catalog.importing.fingerprints import FingerprintTable


def test_it_keeps_the_first_values_of_each_fingerprint_through_growth():
    table = FingerprintTable(capacity=4)
    for number in range(10_000):
        assert table.setdefault(hash(("group", number)), number, -number) is None  # new
    assert len(table) == 10_000
    for number in range(10_000):
        # a later row with the same key gets the first one's values back, and changes nothing
        assert table.setdefault(hash(("group", number)), 0, 0) == (number, -number)
        assert table.get(hash(("group", number))) == (number, -number)
    assert table.get(hash(("group", 10_000))) is None
    assert len(table) == 10_000


def test_zero_negative_and_extreme_fingerprints_are_keys_like_any_other():
    table = FingerprintTable(capacity=2)
    keys = [0, -1, 2**63 - 1, -(2**63), 12345]
    for i, key in enumerate(keys):
        assert table.setdefault(key, i) is None
    assert [table.get(key) for key in keys] == [(i, 0) for i in range(len(keys))]
    assert table.get(7) is None
