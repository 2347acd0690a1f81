"""Repeated SKUs of a first import, told in Python without a lookup per row in PostgreSQL.

A file's SKUs must be unique: a row whose SKU an earlier row has is `duplicate_sku`, naming the
first row. Into a catalog that already has products the import checks every SKU against an
indexed table of the SKUs seen so far (the stager's REJECT_DUPLICATE_SKUS). A first import, the
one that brings a whole catalog of a million rows at once, uses this filter instead:

- within a chunk, a dictionary of the chunk's SKUs gives the exact first row;
- across chunks, a Bloom filter of every SKU staged so far answers "certainly new" for almost
  every row. Only the rows it cannot clear ("maybe seen") are looked up in PostgreSQL, in an
  unindexed log of (SKU, first row) that costs one append per chunk.

The filter has a fixed size (16 MB: 2^27 bits), so memory stays flat in the number of rows. It
is a blocked Bloom filter: a SKU's hash picks one 64-bit word and five bits in it, so a check
is one read and one write (Putze, Sanders and Singler, "Cache-, hash- and space-efficient
Bloom filters", 2007). A file of a million distinct SKUs gives about one false "maybe"; each
costs a lookup in the log. A file that really repeats many SKUs across
chunks gets the log indexed once (`INDEX_AFTER_LOOKUPS`), so it never costs more than the
indexed check.
"""

from array import array

FILTER_BITS = 1 << 27
# A chunk with this many rows to look up has the log indexed (once): a file that repeats many
# SKUs across chunks is then checked by index lookups, not by reading the whole log each time.
INDEX_AFTER_LOOKUPS = 100


class SkuFilter:
    """Which SKUs of a file came before, for one import (Python's string hash is fixed within
    a process, which is all the filter needs)."""

    def __init__(self, *, bits: int = FILTER_BITS) -> None:
        # A power of two up to 2^27 (tests use a one-bit filter, where every SKU collides, to
        # check the lookups in PostgreSQL).
        self.words = array("Q", bytes(8 * max(bits >> 6, 1)))
        self.mask = len(self.words) - 1
        self.bit_mask = min(bits, 64) - 1  # within a word: 63, or 0 for the one-bit filter
        self.chunk: dict[str, int] = {}  # SKU -> first row, for the current chunk
        self.chunk_maybe: set[str] = set()  # the chunk's SKUs an earlier chunk may have had
        self.maybe_seen = 0  # rows of the current chunk to look up in PostgreSQL

    def new_chunk(self) -> None:
        self.chunk = {}
        self.chunk_maybe = set()
        self.maybe_seen = 0

    def check(self, sku: str, number: int) -> tuple[int | None, bool]:
        """(first row, look up): the earlier row of this chunk that had `sku` when that is
        certainly its first row in the file, and whether PostgreSQL must look the row up
        (an earlier chunk may have had the SKU, or the row repeats one that may have)."""
        first = self.chunk.setdefault(sku, number)
        if first != number:
            if sku in self.chunk_maybe:
                self.maybe_seen += 1
                return None, True
            return first, False
        if self._maybe_seen_before(sku):
            self.chunk_maybe.add(sku)
            self.maybe_seen += 1
            return None, True
        return None, False

    def _maybe_seen_before(self, sku: str) -> bool:
        """False when no earlier row had `sku` (certain); True when one may have. Records it."""
        h = hash(sku)
        index = h & self.mask
        within = self.bit_mask
        # The hash's low bits pick the word; five slices of six bits from bit 32 on, its bits.
        bits = (
            1 << ((h >> 32) & within)
            | 1 << ((h >> 38) & within)
            | 1 << ((h >> 44) & within)
            | 1 << ((h >> 50) & within)
            | 1 << ((h >> 56) & within)
        )
        words = self.words
        word = words[index]
        words[index] = word | bits
        return word & bits == bits
