"""The import's writer on databases other than PostgreSQL (SQLite, the embedded default):
row errors in batches, the valid rows kept, then a batched `bulk_create(update_conflicts=True)`
at the end. The same outcome as `catalog.importing.writers.PostgresStager`, row for row."""

from typing import Any

from django.utils import timezone

from catalog.importing.statements import compared_columns, updated_columns
from catalog.importing.writers import Stager
from catalog.models import ImportJob, Product, RowError, Severity
from portal.tabular import Problem
from sellers.models import Seller

APPLY_BATCH = 500  # products per bulk upsert
ERROR_BATCH = 1000  # row errors per bulk insert


class BatchStager(Stager):
    """Any database: row errors in batches, valid rows kept, bulk upsert at the end."""

    def __init__(
        self, *, job: ImportJob, kept: frozenset[str] = frozenset(), rows: int = 0
    ) -> None:
        super().__init__(job=job, kept=kept, rows=rows)
        self.first_row: dict[str, int] = {}
        self.rows: list[dict[str, Any]] = []
        self.errors: list[RowError] = []

    def add(
        self, number: int, sku: str, values: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        problems = list(problems)
        if sku:
            first = self.first_row.setdefault(sku, number)
            if first != number:
                problems.append(Problem("sku", "duplicate_sku", {"value": sku, "first_row": first}))
                values = None
        for problem in problems:
            self.errors.append(
                RowError(
                    job_id=self.job.pk,
                    row=number,
                    column=problem.column or "",
                    code=problem.code,
                    params=problem.params,
                    severity=problem.severity,
                )
            )
        if len(self.errors) >= ERROR_BATCH:
            self._flush_errors()
        if values is None:
            self.invalid += 1
            return
        self.valid += 1
        self.rows.append(values)

    def _flush_errors(self) -> None:
        RowError.objects.bulk_create(self.errors, batch_size=ERROR_BATCH)
        self.errors = []

    def _reject_lost_zeros(self) -> None:
        """REJECT_LOST_ZEROS, in Python."""
        seller_id = self.job.seller_id
        padded: dict[str, str] = {}
        for sku in (
            Product.objects.filter(seller_id=seller_id, sku__startswith="0")
            .order_by("sku")
            .values_list("sku", flat=True)
            .iterator()
        ):
            padded.setdefault(sku.lstrip("0"), sku)
        suspects = {
            row["sku"]
            for row in self.rows
            if row["sku"] in padded
            and padded[row["sku"]] not in self.first_row
            and row["sku"].isascii()
            and row["sku"].isdigit()
        }
        if not suspects:
            return
        suspects -= set(
            Product.objects.filter(seller_id=seller_id, sku__in=suspects).values_list(
                "sku", flat=True
            )
        )
        kept = []
        for values in self.rows:
            sku = values["sku"]
            if sku not in suspects:
                kept.append(values)
                continue
            self.errors.append(
                RowError(
                    job_id=self.job.pk,
                    row=self.first_row[sku],
                    column="sku",
                    code="lost_leading_zero",
                    params={"value": sku, "existing": padded[sku]},
                    severity=Severity.ERROR,
                )
            )
            self.valid -= 1
            self.invalid += 1
        self.rows = kept
        self._flush_errors()

    def end(self) -> None:
        self._flush_errors()

    def finish(self, *, commit: bool) -> dict[str, int]:
        if commit:  # two files of one seller apply one after the other
            Seller.objects.select_for_update().filter(pk=self.job.seller_id).first()
        self._reject_lost_zeros()
        created = updated = 0
        now = timezone.now()
        compared = compared_columns(self.kept)
        for start in range(0, len(self.rows), APPLY_BATCH):
            batch = self.rows[start : start + APPLY_BATCH]
            existing = {
                row["sku"]: tuple(row[c] for c in compared)
                for row in Product.objects.filter(
                    seller_id=self.job.seller_id, sku__in=[r["sku"] for r in batch]
                ).values("sku", *compared)
            }
            changed = []
            for values in batch:
                before = existing.get(values["sku"])
                if before is None:
                    created += 1
                elif before != tuple(values[c] for c in compared):
                    updated += 1
                else:
                    continue
                changed.append(values)
            if commit and changed:
                Product.objects.bulk_create(
                    [
                        Product(
                            seller_id=self.job.seller_id,
                            created_at=now,
                            updated_at=now,
                            last_import_id=self.job.pk,
                            **v,
                        )
                        for v in changed
                    ],
                    update_conflicts=True,
                    unique_fields=["seller", "sku"],
                    update_fields=[*updated_columns(self.kept), "updated_at", "last_import"],
                    batch_size=APPLY_BATCH,
                )
        return {
            "created": created,
            "updated": updated,
            "unchanged": self.valid - created - updated,
            "invalid": self.invalid,
        }
