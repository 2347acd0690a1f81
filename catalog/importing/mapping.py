"""A seller's column mapping ({file column: field}): checked against the file, remembered per
seller and header, applied to the next upload with the same header."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog.importing.columns import (
    ALIASES,
    CANONICAL_HEADER,
    COLUMNS_BY_NAME,
    catalog_table_open,
    column_label,
    columns_map,
    header_signature,
)
from catalog.importing.messages import message_for
from catalog.models import ColumnMapping
from portal.tabular import PreviewIncomplete, TableError, header_key
from sellers.models import Seller

MAX_MAPPING_TEXT = 20_000  # characters of the `mapping` field; a header has at most ~200 cells


class MissingColumns(ValidationError):
    """The file lacks required columns (400 on "file", as always) and has columns we do not
    know: what a page needs to offer a mapping of one to the other."""

    def __init__(self, message: str, *, missing: list[str], columns: list[str], signature: str):
        super().__init__({"file": [message]})
        self.missing = missing
        self.columns = columns
        self.signature = signature


@dataclass
class ResolvedHeader:
    detected: dict[str, Any]
    signature: str = ""
    mapping: dict[str, str] = field(default_factory=dict)
    applied: bool = False  # the mapping was remembered from an earlier upload


def _refuse(message: str) -> ValidationError:
    return ValidationError({"mapping": [message]})


def mapping_parse(raw: Any) -> dict[str, str]:
    """The `mapping` field as sent (JSON text or an object) as {file column: field}; {} when
    absent. ValidationError on "mapping" for anything else."""
    if raw is None or raw == "" or raw == {}:
        return {}
    shape = _("Send the mapping as a JSON object of file column to field, e.g. {example}.").format(
        example='{"Код товара": "sku"}'
    )
    if isinstance(raw, (bytes, str)):
        if len(raw) > MAX_MAPPING_TEXT:
            raise _refuse(shape)
        try:
            raw = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise _refuse(shape) from None
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise _refuse(shape)
    return {k.strip(): v.strip() for k, v in raw.items() if k.strip()}


def mapping_check(*, header: list[str], mapping: dict[str, str]) -> None:
    """Refuse (ValidationError on "mapping", every problem named) a mapping naming a field we do
    not have, a column the file does not have, or one field for two columns."""
    problems: list[str] = []
    cells = {header_key(cell): cell.strip() for cell in header if header_key(cell)}
    targets: dict[str, list[str]] = {}
    for column, name in mapping.items():
        if name not in COLUMNS_BY_NAME:
            problems.append(
                _("“{field}” is not a catalog field; the fields are: {fields}.").format(
                    field=name, fields=", ".join(CANONICAL_HEADER)
                )
            )
            continue
        if header_key(column) not in cells:
            problems.append(
                _("The file has no column “{column}”; its columns are: {columns}.").format(
                    column=column, columns=", ".join(cells.values())
                )
            )
            continue
        targets.setdefault(name, []).append(column)
    mapped_keys = {header_key(column) for column in mapping}
    for name, columns in targets.items():
        # A column the alias table already gives this field counts too, unless it is remapped.
        columns += [
            cell
            for key, cell in cells.items()
            if ALIASES.get(key) == name and key not in mapped_keys
        ]
        if len(columns) > 1:
            problems.append(
                _("{field} is mapped more than once: from {columns}.").format(
                    field=column_label(name), columns=", ".join(f"“{c}”" for c in columns)
                )
            )
    if problems:
        raise ValidationError({"mapping": problems})


def column_mapping_remember(*, seller: Seller, signature: str, mapping: dict[str, str]) -> None:
    ColumnMapping.objects.update_or_create(
        seller=seller, header_signature=signature, defaults={"mapping": mapping}
    )


def column_mapping_for(*, seller: Seller, signature: str) -> dict[str, str]:
    found = ColumnMapping.objects.filter(seller=seller, header_signature=signature).first()
    return dict(found.mapping) if found else {}


def import_header_resolve(*, seller: Seller, file: Any, mapping: Any = None) -> ResolvedHeader:
    """Open the upload's header and map it: the seller's mapping if sent (checked, then
    remembered for this header), else the one remembered for this header, else the aliases.

    ValidationError on "mapping" for a bad mapping, on "file" for a file that cannot be
    imported (MissingColumns when required columns are missing); nothing is stored then.
    """
    sent = mapping_parse(mapping)
    try:
        with catalog_table_open(file, header_only=True) as table:
            header, detected = table.header, table.detected
    except PreviewIncomplete as incomplete:
        # The worker reads the header (and applies the mapping) under its time limit.
        return ResolvedHeader(detected=incomplete.detected, mapping=sent)
    except TableError as error:
        raise ValidationError({"file": [message_for(error.code, error.params)]}) from None
    signature = header_signature(header)
    applied = False
    if sent:
        mapping_check(header=header, mapping=sent)
        chosen = sent
    else:
        chosen = column_mapping_for(seller=seller, signature=signature)
        try:
            mapping_check(header=header, mapping=chosen)
        except ValidationError:
            chosen = {}
        applied = bool(chosen)
    try:
        columns_map(header, chosen)
    except TableError as error:
        message = message_for(error.code, error.params)
        if error.code == "missing_columns":
            raise MissingColumns(
                message,
                missing=list(error.params.get("columns", [])),
                columns=[cell.strip() for cell in header if cell.strip()],
                signature=signature,
            ) from None
        raise ValidationError({"file": [message]}) from None
    if sent:
        column_mapping_remember(seller=seller, signature=signature, mapping=sent)
    return ResolvedHeader(detected=detected, signature=signature, mapping=chosen, applied=applied)
