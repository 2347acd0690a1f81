"""The Excel import template: text-formatted code columns, an example row, drop-downs for the
seller's brands and the leaf categories, and the rules on an instructions sheet."""

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.attribute_selectors import category_attributes_list
from catalog.attribute_values import BOOLEAN_ALLOWED, LANGUAGES, TEXT_MAX_LENGTH
from catalog.importing.columns import COLUMNS, column_label
from catalog.importing.rows import gtin_check_digit
from catalog.models import AttributeType, Category, CategoryAttribute
from portal.downloads import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, written_file_response
from portal.tabular import escape_formula
from sellers.brand_selectors import brand_lookup_for_import
from sellers.models import Seller

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
        _brands_sheet(workbook, products, DataValidation, letters["brand"], brands)
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


def _brands_sheet(workbook, products, validation_class, letter: str, brands) -> None:  # type: ignore[no-untyped-def]
    """A sheet of the seller's approved brands, and a drop-down of them in the brand column."""
    sheet = workbook.create_sheet(_("Brands"))
    sheet.append([_("Your approved brands")])
    for brand in brands:
        sheet.append([escape_formula(brand)])
    _drop_down(
        products,
        validation_class,
        letter,
        f"'{sheet.title}'!$A$2:$A${len(brands) + 1}",
        _("Choose one of your approved brands; request a new brand on the portal first."),
    )


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


# --- a category's template (issue 13) -------------------------------------------------------
#
# GET imports/template/?format=xlsx&category=<leaf code>: the canonical columns, then the
# leaf's characteristics headed by their names in the reader's language, drop-downs for lists
# and yes/no, a "definitions" sheet and an example card with two variants that imports ready.

DEFINITIONS_SHEET = "definitions"  # found by this title whatever the language
LISTS_SHEET = "lists"  # hidden: the option names the drop-downs offer
TEXT_COLUMNS_CARD = (*TEXT_COLUMNS, "group")
EXAMPLE_GROUP = "LY-000123"
EXAMPLE_BARCODES = ("697066907439", "697066907440")  # check digits added when written
EXAMPLE_IMAGES = "|".join(f"https://img.example.com/ly-000123-{n}.jpg" for n in (1, 2, 3))
# Card-level texts in the two languages the marketplace shows (Uzbek in Latin).
EXAMPLE_TEXTS = {
    "description_uz": "Namuna tavsif: mahsulot, uning materiallari va afzalliklari haqida yozing.",
    "description_ru": "Пример описания: расскажите о товаре, его материалах и преимуществах.",
    "features_uz": "Yuqori sifatli materiallar|Rasmiy kafolat|Qulay qadoq",
    "features_ru": "Качественные материалы|Официальная гарантия|Удобная упаковка",
}
# Example numbers by unit (the second is the other variant's when the number is an axis).
EXAMPLE_NUMBERS: dict[str, tuple[int | float, int | float]] = {
    "GB": (128, 256),
    "mAh": (5000, 10000),
    "W": (1200, 1800),
    "V": (12, 24),
    "in": (6.1, 6.7),
    "cm": (30, 40),
    "mm": (205, 215),
    "m": (1, 2),
    "g": (200, 400),
    "kg": (6, 8),
    "L": (2, 3),
    "ml": (50, 100),
    "h": (20, 30),
    "months": (12, 24),
    "pcs": (6, 12),
    "Pa": (3000, 4000),
    "rpm": (1000, 1200),
    "m²": (20, 30),
    "%": (55, 60),
}
EXAMPLE_NUMBER_BY_CODE: dict[str, tuple[int | float, int | float]] = {"sim_count": (2, 1)}
EXAMPLE_TEXT_BY_CODE = {
    "processor": ("Intel Core i5", "Intel Core i7"),
    "compatible_model": ("iPhone 15", "iPhone 15 Pro"),
    "shade": ("01 Beige", "02 Natural"),
    "car_model": ("Chevrolet Cobalt", "Chevrolet Gentra"),
}


@dataclass(frozen=True)
class CategoryTemplate:
    """A leaf category and its characteristics (CategoryAttribute with attribute and options),
    in the language the template is written in."""

    category: Category
    links: Sequence[CategoryAttribute]
    language: str


def template_language() -> str:
    """The active language as the attribute names are stored: en, ru, uz or zh."""
    code = (get_language() or "en").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def category_template_get(*, code: str) -> CategoryTemplate:
    """The template's category; ValidationError on "category" for an unknown code or a parent
    (products take leaves: the message lists the leaves under it)."""
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise ValidationError(
            {"category": [_("No category with the code “%(code)s”.") % {"code": code}]}
        )
    if not category.is_leaf:
        leaves = Category.objects.filter(code__startswith=f"{code}.", is_leaf=True).order_by("code")
        raise ValidationError(
            {
                "category": [
                    _(
                        "“%(code)s” is a group of categories: choose one of its leaf "
                        "categories: %(leaves)s."
                    )
                    % {"code": code, "leaves": ", ".join(leaf.code for leaf in leaves)}
                ]
            }
        )
    return CategoryTemplate(
        category=category,
        links=category_attributes_list(code=code),
        language=template_language(),
    )


def category_template_response(
    file_format: str, *, code: str, seller: Seller | None = None
) -> FileResponse:
    """The category's template as a download; ValidationError on "format" or "category"."""
    content_types = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
    if file_format not in content_types:
        raise ValidationError({"format": [_("Choose csv or xlsx.")]})
    template = category_template_get(code=code)
    brands: list[str] = []
    if seller is not None:
        approved = brand_lookup_for_import(seller=seller).approved.values()
        brands = sorted({brand.name for brand in approved})
    return written_file_response(
        lambda stream: category_template_write(
            file_format=file_format, stream=stream, template=template, brands=brands
        ),
        filename=f"bozor-template-{code}.{file_format}",
        content_type=content_types[file_format],
    )


def _name(item: Any, language: str) -> str:
    return getattr(item, f"name_{language}", "") or item.name_en


def _boolean_words(language: str) -> list[str]:
    return BOOLEAN_ALLOWED[language].split(", ")


def attribute_header(attribute: Any, language: str) -> str:
    """An attribute column's header: its name in the template's language (a file may use the
    name in any language or the code; the definitions sheet shows the code)."""
    return _name(attribute, language)


def category_header(template: CategoryTemplate) -> list[str]:
    return [column.name for column in COLUMNS] + [
        attribute_header(link.attribute, template.language) for link in template.links
    ]


def _attribute_example(link: Any, variant: int, template: CategoryTemplate) -> Any:
    """The example value of a characteristic, as a seller types it: the second variant differs
    where the characteristic is a variant axis."""
    attribute, language = link.attribute, template.language
    index = variant if link.variant_axis else 0
    if attribute.type == "enum":
        options = list(attribute.options.all())
        return _name(options[min(index, len(options) - 1)], language) if options else ""
    if attribute.type == "boolean":
        return _boolean_words(language)[index]
    if attribute.type == "number":
        pair = EXAMPLE_NUMBER_BY_CODE.get(attribute.code)
        if pair is None and attribute.code == "screen_size" and link.variant_axis:
            pair = (43, 55)  # a television's, not a phone's
        pair = pair or EXAMPLE_NUMBERS.get(attribute.unit, (1, 2))
        return pair[index]
    texts = EXAMPLE_TEXT_BY_CODE.get(attribute.code, ("Example 1", "Example 2"))
    return texts[index]


def category_example_rows(template: CategoryTemplate, brand: str) -> list[list[Any]]:
    """One card with two variants: the same group code and card values (titles, descriptions,
    features, brand, category, images), their own SKU, barcode, price and axis values."""
    category = template.category
    rows = []
    for variant in (0, 1):
        digits = EXAMPLE_BARCODES[variant]
        values: dict[str, Any] = {
            **EXAMPLE,
            **EXAMPLE_TEXTS,
            "sku": f"{EXAMPLE_GROUP}-{variant + 1}",
            "group": EXAMPLE_GROUP,
            "title_uz": f"{category.name_uz} {brand} {EXAMPLE_GROUP}",
            "title_ru": f"{category.name_ru} {brand} {EXAMPLE_GROUP}",
            "brand": brand,
            "category": category.code,
            "price_uzs": 125000 + 10000 * variant,
            "stock": 10 - 5 * variant,
            "barcode": f"{digits}{gtin_check_digit(digits)}",
            "image_urls": EXAMPLE_IMAGES,
        }
        rows.append(
            [values.get(column.name, "") for column in COLUMNS]
            + [_attribute_example(link, variant, template) for link in template.links]
        )
    return rows


def category_template_write(
    *,
    file_format: str,
    stream: IO[bytes],
    template: CategoryTemplate,
    brands: Sequence[str] = (),
) -> None:
    """The category's template: CSV (UTF-8 with a BOM, the header and the example rows) or XLSX
    with drop-downs, text-formatted code columns and the definitions sheet. Words are in the
    active language (the request's), names of characteristics in `template.language`."""
    header = category_header(template)
    rows = category_example_rows(template, brands[0] if brands else str(EXAMPLE["brand"]))
    if file_format == "csv":
        stream.write(codecs.BOM_UTF8)
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([escape_formula(cell) for cell in header])
        writer.writerows(
            [escape_formula(cell) if isinstance(cell, str) else cell for cell in row]
            for row in rows
        )
        text.detach()  # the caller's stream stays open
        return
    if file_format != "xlsx":
        raise ValueError(file_format)
    _category_xlsx(stream, template, header, rows, brands)


def _category_xlsx(stream, template, header, rows, brands) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    products = workbook.active
    products.title = _("Products")
    products.append([escape_formula(cell) for cell in header])
    for row in rows:
        products.append([escape_formula(c) if isinstance(c, str) else c for c in row])
    letters = [get_column_letter(i + 1) for i in range(len(header))]
    by_name = {column.name: letters[i] for i, column in enumerate(COLUMNS)}
    for name in TEXT_COLUMNS_CARD:
        letter = by_name[name]
        products.column_dimensions[letter].number_format = TEXT_FORMAT
        for (cell,) in products.iter_rows(
            min_row=2, max_row=FORMATTED_ROWS, min_col=_index(letter), max_col=_index(letter)
        ):
            cell.number_format = TEXT_FORMAT
    for letter, title in zip(letters, header, strict=True):
        products.column_dimensions[letter].width = max(12, min(40, len(str(title)) + 4))
    products.freeze_panes = "A2"

    definitions = _definitions(workbook, template, brands)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_column = 0
    language = template.language
    for position, link in enumerate(template.links):
        attribute = link.attribute
        letter = letters[len(COLUMNS) + position]
        header_cell = products[f"{letter}1"]
        header_cell.comment = Comment(
            f"{attribute.code}: {definitions[attribute.code]}", "Bozor", width=300, height=120
        )
        if attribute.type == "enum":
            names = [escape_formula(_name(option, language)) for option in attribute.options.all()]
            if not names:
                continue
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=attribute.code)
            for row, name in enumerate(names, start=2):
                lists.cell(row=row, column=list_column, value=name)
            source = f"'{LISTS_SHEET}'!${list_letter}$2:${list_letter}${len(names) + 1}"
            message = _("Choose a value from the list.")
        elif attribute.type == "boolean":
            source = None
            message = _("Choose a value from the list.")
        else:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"={source}" if source else '"' + ",".join(_boolean_words(language)) + '"',
            allow_blank=True,
        )
        validation.error = message
        validation.errorTitle = _("Not in the list")
        validation.prompt = f"{_name(attribute, language)}: {message}"
        validation.showErrorMessage = True
        validation.showInputMessage = True
        products.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{FORMATTED_ROWS}")
    category_validation = DataValidation(
        type="list", formula1=f'"{template.category.code}"', allow_blank=True
    )
    category_validation.error = _("This template is for the category %(code)s.") % {
        "code": template.category.code
    }
    category_validation.showErrorMessage = True
    products.add_data_validation(category_validation)
    category_validation.add(f"{by_name['category']}2:{by_name['category']}{FORMATTED_ROWS}")
    if brands:
        _brands_sheet(workbook, products, DataValidation, by_name["brand"], brands)
    workbook.save(stream)


def _canonical_definitions(template: CategoryTemplate) -> dict[str, tuple[str, str]]:
    """Canonical column -> (type, valid values), in the active language."""
    text, number = str(AttributeType.TEXT.label), str(AttributeType.NUMBER.label)
    url_list = _("up to 10 http(s) URLs separated by |")
    features = _("at least 3 features, separated by | or new lines")
    dimension = (_with_unit("mm"), _("a whole number of millimetres"))
    return {
        "sku": (text, _("your own code, unique in your catalog; up to 64 characters")),
        "title_uz": (text, _("at least 3 words, starting with a capital; Latin script")),
        "title_ru": (text, _("at least 3 words, starting with a capital")),
        "description_uz": (text, _("Latin script")),
        "description_ru": (text, ""),
        "brand": (str(AttributeType.ENUM.label), _("one of your approved brands")),
        "category": (str(AttributeType.ENUM.label), template.category.code),
        "price_uzs": (_with_unit("so'm"), _("whole so'm")),
        "stock": (number, _("a whole number, 0 or more")),
        "barcode": (text, _("EAN-8, EAN-13 or UPC-A with a correct check digit")),
        "ikpu": (text, _("17 digits")),
        "weight_g": (_with_unit("g"), _("at most 50,000")),
        "image_urls": (text, url_list),
        "length_mm": dimension,
        "width_mm": dimension,
        "height_mm": dimension,
        "group": (
            text,
            _("the same code on every variant of one card; empty for a card with one variant"),
        ),
        "features_uz": (text, features),
        "features_ru": (text, features),
    }


def _with_unit(unit: str) -> str:
    return f"{AttributeType.NUMBER.label} ({unit})"


def _attribute_definition(attribute: Any, language: str) -> tuple[str, str]:
    """(type, valid values) of a characteristic in the template's language."""
    if attribute.type == "enum":
        return str(AttributeType.ENUM.label), ", ".join(
            _name(option, language) for option in attribute.options.all()
        )
    if attribute.type == "boolean":
        return str(AttributeType.BOOLEAN.label), BOOLEAN_ALLOWED[language]
    if attribute.type == "number":
        if attribute.unit:
            return _with_unit(attribute.unit), _(
                "a number in %(unit)s; the unit may follow the number"
            ) % {"unit": attribute.unit}
        return str(AttributeType.NUMBER.label), _("a number")
    return str(AttributeType.TEXT.label), _("up to %(max)s characters") % {"max": TEXT_MAX_LENGTH}


def _definitions(workbook, template: CategoryTemplate, brands: Sequence[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The definitions sheet: one row per column of the Products sheet (header, code, meaning,
    type, required, valid values), then the rules. Returns code -> valid values."""
    sheet = workbook.create_sheet(DEFINITIONS_SHEET, 1)
    sheet.append(
        [_("Header"), _("Code"), _("Meaning"), _("Type"), _("Required"), _("Valid values")]
    )
    yes, no = _("yes"), _("no")
    canonical = _canonical_definitions(template)
    for column in COLUMNS:
        kind, valid = canonical.get(column.name, (str(AttributeType.TEXT.label), ""))
        if column.name == "brand" and brands:
            valid = ", ".join(brands)
        sheet.append(
            [column.name, column.name, str(column.label), kind, yes if column.required else no]
            + [escape_formula(valid)]
        )
    valid_values: dict[str, str] = {}
    language = template.language
    for link in template.links:
        attribute = link.attribute
        kind, valid = _attribute_definition(attribute, language)
        meaning = _name(attribute, language)
        if link.variant_axis:
            meaning = _("%(name)s; variant axis: each variant of a card has its own value") % {
                "name": meaning
            }
        required = link.required or link.variant_axis
        valid_values[attribute.code] = valid
        sheet.append(
            [
                escape_formula(attribute_header(attribute, language)),
                attribute.code,
                escape_formula(meaning),
                kind,
                yes if required else no,
                escape_formula(valid),
            ]
        )
    sheet.append([])
    category = template.category
    for line in (
        _("Category: %(code)s (%(name)s).") % {"code": category.code, "name": category.name},
        _(
            "Rows 2 and 3 are an example card with two variants: rows with the same group code "
            "are the variants of one card, and share its titles, descriptions, features, brand, "
            "category and images."
        ),
        _(
            "A characteristic's header may be its name in English, Chinese, Russian or Uzbek, "
            "or its code; a list value may be written in any of these languages."
        ),
        _(
            "A required characteristic left empty does not stop the import: the card is "
            "imported with “needs fixes” until it is filled in."
        ),
        _("Format the barcode, IKPU and SKU columns as text so leading zeros are kept."),
    ):
        sheet.append([line])
    for letter, width in zip("ABCDEF", (24, 18, 40, 16, 10, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return valid_values
