"""django-import-export resources for the staff exports (admin); every text cell is escaped.

The seller's own catalog import is the streaming pipeline in `catalog/importing/`; these
resources only export. Text that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR) is
escaped here, in the resource, so CSV and XLSX exports are equally safe.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from catalog.importing.columns import CANONICAL_HEADER
from catalog.models import Category, ImportJob, Product
from portal.tabular import escape_formula

# Typed cells (numbers, dates, booleans) are never formulas; only text is escaped.
_TYPED_WIDGETS = (
    widgets.NumberWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.BooleanWidget,
)


class FormulaSafeResource(resources.ModelResource):
    def export_field(self, field: fields.Field, instance: Any, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str) and not isinstance(field.widget, _TYPED_WIDGETS):
            return escape_formula(value)
        return value


class ProductResource(FormulaSafeResource):
    """Products with the canonical import columns (so an export can be imported again)."""

    seller = fields.Field(column_name="seller", dehydrate_method="dehydrate_seller")
    seller_uscc = fields.Field(column_name="seller_uscc", attribute="seller__uscc")
    brand = fields.Field(column_name="brand", dehydrate_method="dehydrate_brand")
    category = fields.Field(column_name="category", attribute="category__code")
    image_urls = fields.Field(column_name="image_urls", dehydrate_method="dehydrate_image_urls")

    class Meta:
        model = Product
        name = _("Products")
        fields = (
            "seller",
            "seller_uscc",
            *CANONICAL_HEADER,
            "created_at",
            "updated_at",
        )
        export_order = fields

    def dehydrate_seller(self, product: Product) -> str:
        return str(product.seller)

    def dehydrate_brand(self, product: Product) -> str:
        return product.brand.name if product.brand is not None else ""

    def dehydrate_image_urls(self, product: Product) -> str:
        return "|".join(product.image_urls or [])

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        return queryset.select_related("seller", "brand", "category")


class CategoryResource(FormulaSafeResource):
    parent = fields.Field(column_name="parent", attribute="parent__code")

    class Meta:
        model = Category
        name = _("Categories")
        fields = ("code", "parent", "name_en", "name_ru", "name_uz", "name_zh", "is_leaf")
        export_order = fields

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        return queryset.select_related("parent")


class ImportJobResource(FormulaSafeResource):
    seller = fields.Field(column_name="seller", dehydrate_method="dehydrate_seller")
    created_by = fields.Field(column_name="created_by", attribute="created_by__email")

    class Meta:
        model = ImportJob
        name = _("Import jobs")
        fields = (
            "id",
            "seller",
            "created_by",
            "status",
            "mode",
            "filename",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "invalid_count",
            "error_code",
            "created_at",
            "finished_at",
        )
        export_order = fields

    def dehydrate_seller(self, job: ImportJob) -> str:
        return str(job.seller)

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        return queryset.select_related("seller", "created_by")
