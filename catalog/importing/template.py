"""The Excel import template: text-formatted code columns, an example row, drop-downs for the
seller's brands and the leaf categories, and the rules on an instructions sheet."""

from collections.abc import Sequence
from typing import IO

from django.utils.translation import gettext as _

from catalog.importing.columns import COLUMNS, column_label
from portal.tabular import escape_formula

# Excel damages these when it reads them as numbers (leading zeros, scientific notation).
TEXT_COLUMNS = ("sku", "barcode", "ikpu")
TEXT_FORMAT = "@"
FORMATTED_ROWS = 1000  # rows of the Products sheet given the text format and the drop-downs
EXAMPLE = {
    "sku": "LY-000123",
    "title_uz": "Lanyue simsiz quloqchin oq",
    "title_ru": "Беспроводные наушники Lanyue белые",
    "description_uz": "",
    "description_ru": "",
    "brand": "Lanyue",
    "category": "",
    "price_uzs": 125000,
    "stock": 10,
    "barcode": "6970669074398",
    "ikpu": "08517120001000000",
    "weight_g": 350,
    "image_urls": "https://img.example.com/ly-000123-1.jpg",
    "length_mm": 120,
    "width_mm": 80,
    "height_mm": 40,
}


def xlsx_template_write(
    *,
    stream: IO[bytes],
    brands: Sequence[str] = (),
    categories: Sequence[tuple[str, str]] = (),
) -> None:
    """`brands`: the seller's approved brand names; `categories`: (code, name) of each leaf."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    products = workbook.active
    products.title = _("Products")
    products.append([column.name for column in COLUMNS])
    example = dict(EXAMPLE)
    if brands:
        example["brand"] = brands[0]
    if categories:
        example["category"] = categories[0][0]
    products.append([example.get(column.name, "") for column in COLUMNS])
    letters = {column.name: get_column_letter(i + 1) for i, column in enumerate(COLUMNS)}
    for name in TEXT_COLUMNS:
        letter = letters[name]
        products.column_dimensions[letter].number_format = TEXT_FORMAT
        for (cell,) in products.iter_rows(
            min_row=2, max_row=FORMATTED_ROWS, min_col=_index(letter), max_col=_index(letter)
        ):
            cell.number_format = TEXT_FORMAT
    products.freeze_panes = "A2"

    _instructions(workbook)
    if categories:
        sheet = workbook.create_sheet(_("Categories"))
        sheet.append([_("Code"), _("Name")])
        for code, name in categories:
            sheet.append([code, escape_formula(name)])
        _drop_down(
            products,
            DataValidation,
            letters["category"],
            f"'{sheet.title}'!$A$2:$A${len(categories) + 1}",
            _("Choose a leaf category code from the Categories sheet."),
        )
    if brands:
        sheet = workbook.create_sheet(_("Brands"))
        sheet.append([_("Your approved brands")])
        for brand in brands:
            sheet.append([escape_formula(brand)])
        _drop_down(
            products,
            DataValidation,
            letters["brand"],
            f"'{sheet.title}'!$A$2:$A${len(brands) + 1}",
            _("Choose one of your approved brands; request a new brand on the portal first."),
        )
    workbook.save(stream)


def _index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter)


def _drop_down(sheet, validation_class, letter: str, source: str, message: str) -> None:  # type: ignore[no-untyped-def]
    validation = validation_class(type="list", formula1=f"={source}", allow_blank=True)
    validation.error = message
    validation.errorTitle = _("Not in the list")
    validation.prompt = message
    validation.showErrorMessage = True
    validation.showInputMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{FORMATTED_ROWS}")


def _instructions(workbook) -> None:  # type: ignore[no-untyped-def]
    sheet = workbook.create_sheet(_("Instructions"))
    sheet.append(
        [
            _("Column"),
            _("Meaning"),
            _("Required"),
            _("Header in Chinese"),
            _("Header in Russian"),
            _("Header in Uzbek"),
        ]
    )
    for column in COLUMNS:
        sheet.append(
            [
                column.name,
                escape_formula(column_label(column.name)),
                _("yes") if column.required else _("no"),
                column.zh,
                column.ru,
                column.uz,
            ]
        )
    sheet.append([])
    for line in (
        _("Fill in the Products sheet, one product per row; the header is row 1."),
        _("Row 2 is an example: replace it with your first product."),
        _("Headers may be in English, Chinese, Russian or Uzbek (any of the names above)."),
        _("Format the barcode, IKPU and SKU columns as text so leading zeros are kept."),
        _("The brand is one of your approved brands; the category is a leaf category code."),
        _(
            "Prices are whole so'm; weight in grams (at most 50,000); up to 10 image URLs "
            "separated by |."
        ),
        _("Barcodes are EAN-8, EAN-13 or UPC-A; IKPU (MXIK) is 17 digits."),
        _("Save as .xlsx, or as “CSV UTF-8”, and upload the file on the Imports page."),
    ):
        sheet.append([line])
