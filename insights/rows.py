"""Sales file columns, their aliases and the date parser the loader uses (numbers are read by
`portal.tabular.parse_whole`)."""

import datetime
import re

from portal.tabular import TableError, header_key

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
ALIASES: dict[str, str] = {
    header_key(alias): column for column, aliases in SALES_COLUMNS.items() for alias in aliases
}


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?(\.0+)?$")


def parse_date(text: str) -> datetime.date:
    """A day as `2025-11-11`, `11.11.2025` or `2025/11/11` (a spreadsheet's midnight time is
    allowed); TableError `required`, `invalid_date`, or `excel_serial_date` for a number that a
    spreadsheet shows instead of a date."""
    value = text.strip()
    if not value:
        raise TableError("required")
    try:
        if len(value) == 10 and value[4] == "-":
            return datetime.date.fromisoformat(value)
        match = _MIDNIGHT.match(value)
        if match:
            return datetime.date.fromisoformat(match.group(1))
        match = _DOTTED.match(value)
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        match = _SLASHED.match(value)
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise TableError("invalid_date", value=value) from None
    if re.fullmatch(r"\d{4,6}(\.0+)?", value):
        serial = int(float(value))
        if 1 <= serial <= 2_958_465:
            meant = EXCEL_EPOCH + datetime.timedelta(days=serial)
            raise TableError("excel_serial_date", value=value, date=meant.isoformat())
    raise TableError("invalid_date", value=value)
