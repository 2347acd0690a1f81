"""Which text encoding a CSV file is in: BOMs first, then what decodes, then statistics."""

import codecs

from portal.tabular.problems import TableError

# Tried in this order when there is no byte order mark: sellers' files come from Excel in
# Chinese (GB18030 covers GBK) and Russian (CP1251) Windows.
CANDIDATES = ("utf-8", "gb18030", "cp1251")


def detect_encoding(head: bytes, *, complete: bool) -> tuple[str, str]:
    """(codec used to decode, name shown to the user) for a file starting with `head`;
    `complete` says `head` is the whole file (so it may not end inside a character)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        # No BOM but every other byte NUL: UTF-16 without its byte order mark.
        odd_nuls = sample[1::2].count(0)
        codec = "utf-16-le" if odd_nuls > len(sample) // 4 else "utf-16-be"
        return codec, codec
    decodable = [name for name in CANDIDATES if _decodes(head, name, complete)]
    if not decodable:
        raise TableError("undecodable", where="")
    if decodable[0] == "utf-8" or len(decodable) == 1:
        return decodable[0], decodable[0]
    # Both GB18030 and CP1251 decode almost any bytes: let the language statistics decide.
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=decodable).best()
    choice = "cp1251" if best is not None and best.encoding == "cp1251" else "gb18030"
    return choice, choice


def _decodes(data: bytes, encoding: str, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True
