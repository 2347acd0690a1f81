"""A compact table of 64-bit fingerprints, each with two integers, for what an import must
remember of every row (the card checker's groups and variants).

A dictionary of Python ints costs about 100 bytes per entry; here an entry is 24 bytes in flat
arrays at a load of at most a half, so a million variants take about 48 MB, not 100, and a
lookup stays a few array reads. A fingerprint is a key's `hash()` (a signed 64-bit integer,
fixed within a process): two keys with the same hash count as one, about one chance in 10^8 for
a million keys.
"""

from array import array

MAX_LOAD = 0.5
FIRST_CAPACITY = 1 << 14
# The most a table is made for at once (48 MB): beyond it, it grows as it fills.
MAX_FIRST_CAPACITY = 1 << 21


class FingerprintTable:
    """Fingerprint -> (first, second), with open addressing (linear probing) in arrays."""

    __slots__ = ("count", "firsts", "keys", "limit", "mask", "seconds")

    def __init__(self, capacity: int = FIRST_CAPACITY) -> None:
        self.count = 0
        self._allocate(capacity)  # a power of two

    @staticmethod
    def capacity_for(entries: int) -> int:
        """A capacity (a power of two) that holds `entries` without growing, within
        MAX_FIRST_CAPACITY: each growth inserts every entry again."""
        capacity = FIRST_CAPACITY
        while capacity * MAX_LOAD < entries and capacity < MAX_FIRST_CAPACITY:
            capacity *= 2
        return capacity

    def _allocate(self, capacity: int) -> None:
        zeros = bytes(8 * capacity)
        self.keys = array("q", zeros)  # 0: a free slot (the fingerprint 0 is stored as 1)
        self.firsts = array("q", zeros)
        self.seconds = array("q", zeros)
        self.mask = capacity - 1
        self.limit = int(MAX_LOAD * capacity)

    def _probe(self, key: int) -> int:
        """The key's slot, or the free slot where it would go."""
        keys, mask = self.keys, self.mask
        slot = key & mask
        found = keys[slot]
        while found and found != key:
            slot = (slot + 1) & mask
            found = keys[slot]
        return slot

    def get(self, fingerprint: int) -> tuple[int, int] | None:
        slot = self._probe(fingerprint or 1)
        return (self.firsts[slot], self.seconds[slot]) if self.keys[slot] else None

    def setdefault(self, fingerprint: int, first: int, second: int = 0) -> tuple[int, int] | None:
        """The fingerprint's integers; None when it had none (it now has `first`, `second`)."""
        key = fingerprint or 1
        slot = self._probe(key)
        if self.keys[slot]:
            return self.firsts[slot], self.seconds[slot]
        self.keys[slot] = key
        self.firsts[slot] = first
        self.seconds[slot] = second
        self.count += 1
        if self.count > self.limit:
            self._grow()
        return None

    def __len__(self) -> int:
        return self.count

    def _grow(self) -> None:
        keys, firsts, seconds = self.keys, self.firsts, self.seconds
        self._allocate(2 * (self.mask + 1))
        self.count = 0
        for slot, key in enumerate(keys):
            if key:
                self.setdefault(key, firsts[slot], seconds[slot])
