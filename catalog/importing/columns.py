"""The canonical catalog columns and their aliases: opening a catalog file, mapping its header."""

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.attribute_values import fold as attribute_fold
from portal.tabular import Limits, Table, TableError, header_key, open_table
from portal.uploads import spreadsheet_limits


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise
    required: bool
    uz: str  # the header in each language (the template's instructions sheet lists them)
    ru: str
    zh: str
    extra: tuple[str, ...] = ()  # more spellings sellers use

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.uz, self.ru, self.zh, *self.extra)


# DESIGN.md "Canonical columns and required aliases", plus a few more spellings.
COLUMNS: tuple[Column, ...] = (
    Column("sku", _("SKU"), True, "Artikul", "Артикул", "商品编码", ("SKU", "货号", "Vendor code")),
    Column(
        "title_uz",
        _("Title (Uzbek)"),
        True,
        "Nomi (uz)",
        "Название (узб)",
        "商品名称(乌兹别克语)",
        ("Title (uz)",),
    ),
    Column(
        "title_ru",
        _("Title (Russian)"),
        True,
        "Nomi (ru)",
        "Название (рус)",
        "商品名称(俄语)",
        ("Title (ru)",),
    ),
    Column(
        "description_uz",
        _("Description (Uzbek)"),
        False,
        "Tavsif (uz)",
        "Описание (узб)",
        "商品描述(乌兹别克语)",
        ("Description (uz)",),
    ),
    Column(
        "description_ru",
        _("Description (Russian)"),
        False,
        "Tavsif (ru)",
        "Описание (рус)",
        "商品描述(俄语)",
        ("Description (ru)",),
    ),
    Column("brand", _("Brand"), True, "Brend", "Бренд", "品牌", ("Marka",)),
    Column("category", _("Category"), True, "Kategoriya", "Категория", "类目", ("分类",)),
    Column(
        "price_uzs",
        _("Price (so'm)"),
        True,
        "Narx (so'm)",
        "Цена (сум)",
        "价格(苏姆)",
        ("price", "Narx", "Цена", "价格", "Price (UZS)"),
    ),
    Column("stock", _("Stock"), True, "Qoldiq", "Остаток", "库存", ("Quantity", "Количество")),
    Column("barcode", _("Barcode"), False, "Shtrix-kod", "Штрихкод", "条形码", ("EAN", "GTIN")),
    Column("ikpu", _("IKPU (MXIK)"), True, "MXIK", "ИКПУ", "税务分类编码", ("IKPU", "МХИК")),
    Column("weight_g", _("Weight (g)"), True, "Og'irlik (g)", "Вес (г)", "重量(克)", ("Weight",)),
    Column("image_urls", _("Image URLs"), False, "Rasmlar", "Фото", "图片链接", ("Images",)),
    Column("length_mm", _("Length (mm)"), False, "Uzunlik (mm)", "Длина (мм)", "长(毫米)"),
    Column("width_mm", _("Width (mm)"), False, "Kenglik (mm)", "Ширина (мм)", "宽(毫米)"),
    Column("height_mm", _("Height (mm)"), False, "Balandlik (mm)", "Высота (мм)", "高(毫米)"),
    # Cards (issue 13): rows with one model code are the variants of one card.
    Column(
        "group",
        _("Card (model code)"),
        False,
        "Model",
        "Модель",
        "款号",
        ("货号组", "Group", "Model code", "Код модели", "Model kodi", "型号组"),
    ),
    Column(
        "features_uz",
        _("Features (Uzbek)"),
        False,
        "Xususiyatlar (uz)",
        "Особенности (узб)",
        "产品卖点(乌兹别克语)",
        ("Features (uz)",),
    ),
    Column(
        "features_ru",
        _("Features (Russian)"),
        False,
        "Xususiyatlar (ru)",
        "Особенности (рус)",
        "产品卖点(俄语)",
        ("Features (ru)",),
    ),
)
# The columns of a card file beyond the flat product's: a file with any of them (or with a
# characteristic's column) gets the readiness issues of its rows as warnings.
CARD_COLUMNS = frozenset({"group", "features_uz", "features_ru"})
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
CANONICAL_HEADER = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]
# Columns a file may carry that are never imported, so no file can set a product's id or seller.
IGNORED = ("id", "pk", "seller", "seller_id", "sellerid", "продавец", "sotuvchi", "卖家", "商家")

ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    for _alias in (_column.name, *_column.aliases):
        ALIASES[header_key(_alias)] = _column.name
IGNORED_KEYS = frozenset(header_key(name) for name in IGNORED)


def column_label(name: str) -> str:
    """The column's name for people, in the active language (its code in brackets)."""
    column = COLUMNS_BY_NAME.get(name)
    return f"{column.label} ({name})" if column else name


def looks_like_header(cells: list[str]) -> bool:
    """True when at least three cells are known column names: used to skip title lines."""
    return sum(1 for cell in cells if header_key(cell) in ALIASES) >= 3


def catalog_limits() -> Limits:
    """What a catalog file may hold, read from settings each time (tests change them)."""
    return spreadsheet_limits(max_rows=settings.CATALOG_MAX_ROWS)


def catalog_table_open(
    source: IO[bytes] | str | os.PathLike, *, header_only: bool = False
) -> Table:
    """A catalog file under its header (title lines above it skipped), within the limits;
    `header_only` for a request that reads no further than the first row (see open_table)."""
    return open_table(
        source, is_header=looks_like_header, limits=catalog_limits(), header_only=header_only
    )


@dataclass
class ColumnMap:
    """Where each canonical column is in the file's rows, and what was left out."""

    index: dict[str, int]
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # position -> the characteristics a column may name (catalog.cards.AttributeSpec); the
    # row's category picks one (a "Size" column is the shoes' size in a row of shoes)
    attributes: dict[int, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def is_card_file(self) -> bool:
        """A file with card columns (group, features, characteristics): its rows' readiness
        issues are reported as warnings. Other files import exactly as before."""
        return bool(self.attributes) or any(name in self.index for name in CARD_COLUMNS)

    def warnings(self) -> list[dict]:
        found = []
        if self.unknown:
            found.append({"code": "unknown_columns", "params": {"columns": self.unknown}})
        if self.ignored:
            found.append({"code": "ignored_columns", "params": {"columns": self.ignored}})
        return found


def header_signature(header: list[str]) -> str:
    """What identifies a header whatever its case and spacing: the SHA-256 of its normalised
    cells (a seller's column mapping is remembered under it)."""
    keys = "\x1f".join(header_key(cell) for cell in header)
    return hashlib.sha256(keys.encode("utf-8", "surrogatepass")).hexdigest()


def columns_map(
    header: list[str],
    mapping: dict[str, str] | None = None,
    attributes: Mapping[str, tuple[Any, ...]] | None = None,
) -> ColumnMap:
    """Map a header onto the canonical columns; TableError for a missing or repeated column.

    `mapping` ({file column: field}, the seller's own) is applied before the alias table;
    `attributes` (folded name or code -> characteristic) names the characteristics' columns,
    which the canonical columns take precedence over."""
    chosen = {
        header_key(column): field
        for column, field in (mapping or {}).items()
        if field in COLUMNS_BY_NAME
    }
    index: dict[str, int] = {}
    unknown: list[str] = []
    ignored: list[str] = []
    by_attribute: dict[int, Any] = {}
    seen_attributes: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = header_key(cell)
        if not key:
            continue
        name = chosen.get(key) or ALIASES.get(key)
        if name is None and attributes and key not in IGNORED_KEYS:
            candidates = attributes.get(attribute_fold(cell))
            if candidates:
                # Two columns naming the same characteristic(s): "Size" and "Размер".
                # The first candidate is what the header names first (its code's attribute):
                # "size" and "shoe_size" side by side are two columns, "Size" and "Размер" one.
                repeated = candidates[0].code if candidates[0].code in seen_attributes else None
                if repeated is not None:
                    raise TableError(
                        "duplicate_column",
                        column=repeated,
                        first=header[seen_attributes[repeated]].strip(),
                        second=cell.strip(),
                    )
                seen_attributes[candidates[0].code] = position
                by_attribute[position] = tuple(candidates)
                continue
        if name is None:
            (ignored if key in IGNORED_KEYS else unknown).append(cell.strip())
            continue
        if name in index:
            raise TableError(
                "duplicate_column",
                column=name,
                first=header[index[name]].strip(),
                second=cell.strip(),
            )
        index[name] = position
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        raise TableError("missing_columns", columns=missing)
    return ColumnMap(index=index, unknown=unknown, ignored=ignored, attributes=by_attribute)
