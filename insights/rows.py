"""Sales file columns, their aliases and the pure per-cell parsers the loader uses."""

import datetime
import re
import unicodedata

from django.utils.translation import gettext_lazy as _

# canonical column -> header spellings that mean it (case, spaces and full-width forms ignored)
SALES_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "Дата", "Sana", "日期", "销售日期"),
    "category": ("category", "category_code", "Категория", "Kategoriya", "类目", "分类"),
    "brand": ("brand", "Бренд", "Brend", "品牌", "Marka"),
    "brand_origin": (
        "brand_origin",
        "origin",
        "origin_country",
        "country",
        "Страна бренда",
        "Страна",
        "Brend mamlakati",
        "Mamlakat",
        "品牌产地",
        "产地",
        "原产国",
    ),
    "units": ("units", "qty", "quantity", "Количество", "Кол-во", "Soni", "Miqdor", "数量", "销量"),
    "revenue_uzs": (
        "revenue_uzs",
        "revenue",
        "revenue (uzs)",
        "Выручка",
        "Выручка (сум)",
        "Tushum",
        "Tushum (so'm)",
        "销售额",
        "销售额(苏姆)",
    ),
}
COLUMN_LABELS = {
    "date": _("date"),
    "category": _("category"),
    "brand": _("brand"),
    "brand_origin": _("brand origin"),
    "units": _("units"),
    "revenue_uzs": _("revenue (so'm)"),
}

_SPACES = re.compile(r"[\s\u200b\ufeff]+")


def header_key(text: str) -> str:
    """A header cell without case, spaces or full-width forms."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


ALIASES: dict[str, str] = {
    header_key(alias): column for column, aliases in SALES_COLUMNS.items() for alias in aliases
}


class CellError(ValueError):
    """A cell that cannot be used: a stable code and the parameters of its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_GROUP_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")
_CURRENCY = re.compile(r"(сум|so['‘’`]?m|uzs|sum)\.?$", re.IGNORECASE)
_ZERO_FRACTION = re.compile(r"^(\d+)[.,]0+$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_SCIENTIFIC = re.compile(r"^[\d.,]+e[+-]?\d+$", re.IGNORECASE)


def parse_whole(text: str) -> int:
    """A whole number of zero or more as spreadsheets write it (`12 500`, `12 500,00`, `12,500`,
    a trailing `сум`/`so'm`/`UZS`); CellError `required`, `invalid_number`, `fractional`,
    `negative`, `scientific_notation`."""
    value = text.strip()
    if value.isdecimal():  # the fast path: almost every cell of a machine-written report
        return int(value)
    if not value:
        raise CellError("required")
    value = unicodedata.normalize("NFKC", value)
    value = _CURRENCY.sub("", value).strip()
    value = _GROUP_SPACES.sub("", value)
    negative = value.startswith(("-", "−"))
    if negative:
        value = value[1:]
    if _SCIENTIFIC.match(value):
        raise CellError("scientific_notation", value=text.strip())
    match = _ZERO_FRACTION.match(value)
    if match:
        value = match.group(1)
    elif _THOUSANDS.match(value):
        value = value.replace(",", "")
    if not value.isdecimal():
        if re.match(r"^\d+[.,]\d+$", value):
            raise CellError("fractional", value=text.strip())
        raise CellError("invalid_number", value=text.strip())
    number = int(value)
    if negative and number:
        raise CellError("negative", value=text.strip())
    return number


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?(\.0+)?$")


def parse_date(text: str) -> datetime.date:
    """A day as `2025-11-11`, `11.11.2025` or `2025/11/11` (a spreadsheet's midnight time is
    allowed); CellError `required`, `invalid_date`, or `excel_serial_date` for a number that a
    spreadsheet shows instead of a date."""
    value = text.strip()
    try:
        if len(value) == 10 and value[4] == "-":
            return datetime.date.fromisoformat(value)
        if not value:
            raise CellError("required")
        match = _MIDNIGHT.match(value)
        if match:
            return datetime.date.fromisoformat(match.group(1))
        match = _DOTTED.match(value)
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        match = _SLASHED.match(value)
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        if isinstance(error, CellError):
            raise
        raise CellError("invalid_date", value=value) from None
    if re.fullmatch(r"\d{4,6}(\.0+)?", value):
        serial = int(float(value))
        if 1 <= serial <= 2_958_465:
            meant = EXCEL_EPOCH + datetime.timedelta(days=serial)
            raise CellError("excel_serial_date", value=value, date=meant.isoformat())
    raise CellError("invalid_date", value=value)
