"""Admin for operations staff: categories (editable), products and import jobs (read-only)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest, HttpResponseBase
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from catalog import services, tasks
from catalog.downloads import error_report_response
from catalog.models import Category, ImportJob, Product, RowError
from catalog.resources import CategoryResource, ImportJobResource, ProductResource
from portal.admin import ReadOnlyAdminMixin

EXPORT_FORMATS = [CSV, XLSX]
INLINE_ERRORS_SHOWN = 200


@admin.register(Category)
class CategoryAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [CategoryResource]
    formats = EXPORT_FORMATS
    # One name column, in the reader's language; the change form shows all four.
    list_display = ("code", "localized_name", "parent", "is_leaf", "forbidden")
    list_filter = ("is_leaf", "forbidden")
    list_select_related = ("parent",)
    search_fields = ("code", "name_en", "name_ru", "name_uz", "name_zh")
    autocomplete_fields = ("parent",)
    ordering = ("code",)
    fieldsets = (
        (None, {"fields": ("code", "parent", "is_leaf", "forbidden")}),
        (_("Names"), {"fields": ("name_en", "name_ru", "name_uz", "name_zh")}),
    )

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "forbidden" in form.changed_data:  # its cards' readiness changes
            tasks.category_readiness_refresh_send(obj.code)

    @admin.display(description=_("name"))
    def localized_name(self, category: Category) -> str:
        return category.name


@admin.register(Product)
class ProductAdmin(ExportMixin, admin.ModelAdmin):
    """Products are written by their sellers (imports, API); staff look, export, delete."""

    resource_classes = [ProductResource]
    formats = EXPORT_FORMATS
    list_display = (
        "sku",
        "seller",
        "title_uz",
        "title_ru",
        "brand",
        "category",
        "price",
        "stock_grouped",
        "group",
        "readiness_state",
        "updated_at",
    )
    list_select_related = ("seller", "brand", "category")
    search_fields = ("sku", "group", "title_uz", "title_ru", "barcode")
    search_help_text = _("Search by SKU, card (model code), Uzbek or Russian title, or barcode.")
    list_filter = (
        "readiness_state",
        ("category", admin.RelatedOnlyFieldListFilter),
        ("seller", admin.RelatedOnlyFieldListFilter),
        ("brand", admin.RelatedOnlyFieldListFilter),
    )
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Grouped in the reader's language (USE_THOUSAND_SEPARATOR stays off, see settings).
    @admin.display(description=_("price (so'm)"), ordering="price_uzs")
    def price(self, product: Product) -> str:
        return number_format(product.price_uzs, 0, force_grouping=True)

    @admin.display(description=_("stock"), ordering="stock")
    def stock_grouped(self, product: Product) -> str:
        return number_format(product.stock, 0, force_grouping=True)

    def delete_model(self, request: HttpRequest, obj: Product) -> None:
        services.product_delete(seller=obj.seller, product=obj, by_staff=True)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        for product in queryset.select_related("seller"):
            services.product_delete(seller=product.seller, product=product, by_staff=True)


class RowErrorInline(admin.TabularInline):
    model = RowError
    fields = ("row", "column", "severity", "code", "message")
    readonly_fields = fields
    can_delete = False
    extra = 0
    verbose_name_plural = _("Row errors (the first 200; the error report has them all)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RowError]:
        queryset = super().get_queryset(request)
        object_id = (
            request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        )
        if object_id is None:
            return queryset.none()
        # A job may have 50,000 errors: show the first few; the report holds the rest.
        first = (RowError.objects.filter(job_id=object_id).order_by("row", "id").values("pk"))[
            :INLINE_ERRORS_SHOWN
        ]
        return queryset.filter(pk__in=Subquery(first)).order_by("row", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("message"))
    def message(self, error: RowError) -> str:
        return error.message


@admin.register(ImportJob)
class ImportJobAdmin(ExportMixin, ReadOnlyAdminMixin):
    """Read-only: jobs are created by uploads and changed only by the pipeline."""

    resource_classes = [ImportJobResource]
    formats = EXPORT_FORMATS
    list_display = (
        "id",
        "seller",
        "filename",
        "mode",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "invalid_count",
        "created_at",
    )
    list_select_related = ("seller",)
    list_filter = ("status", "mode", ("seller", admin.RelatedOnlyFieldListFilter))
    search_fields = ("filename", "sha256", "seller__legal_name", "seller__uscc")
    date_hierarchy = "created_at"
    inlines = [RowErrorInline]
    fieldsets = (
        (None, {"fields": ("seller", "created_by", "status", "mode", "file_sent")}),
        (_("What was read"), {"fields": ("detected_display", "total_rows", "total_lines")}),
        (
            _("Progress and counts"),
            {
                "fields": (
                    "processed_rows",
                    "created_count",
                    "updated_count",
                    "unchanged_count",
                    "invalid_count",
                    "warning_count",
                )
            },
        ),
        (
            _("Problems"),
            {"fields": ("error_display", "warnings_display", "error_report_link")},
        ),
        (
            _("Timing and delivery"),
            {
                "fields": (
                    "created_at",
                    "started_at",
                    "finished_at",
                    "attempts",
                    "enqueued_at",
                    "lease_owner",
                    "lease_until",
                    "sha256",
                    "size",
                ),
                "classes": ("collapse",),
            },
        ),
    )
    readonly_fields = (
        "seller",
        "created_by",
        "status",
        "mode",
        "file_sent",
        "detected_display",
        "total_rows",
        "total_lines",
        "processed_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "invalid_count",
        "warning_count",
        "error_display",
        "warnings_display",
        "error_report_link",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "enqueued_at",
        "lease_owner",
        "lease_until",
        "sha256",
        "size",
    )

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/errors.csv",
                self.admin_site.admin_view(self.error_report_view),
                name="{}_{}_errors_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def error_report_view(self, request: HttpRequest, object_id: str) -> HttpResponseBase:
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return error_report_response(job)

    @admin.display(description=_("file name as sent"))
    def file_sent(self, job: ImportJob) -> str:
        return job.filename

    @admin.display(description=_("detected"))
    def detected_display(self, job: ImportJob) -> str:
        detected = job.detected or {}
        delimiter = detected.get("delimiter")
        return (
            " · ".join(
                str(part)
                for part in (
                    detected.get("format"),
                    detected.get("encoding"),
                    repr(delimiter) if delimiter else None,
                )
                if part
            )
            or "—"
        )

    @admin.display(description=_("error"))
    def error_display(self, job: ImportJob) -> str:
        return job.error_message or "—"

    @admin.display(description=_("file warnings"))
    def warnings_display(self, job: ImportJob) -> str:
        return "; ".join(job.warning_messages) or "—"

    @admin.display(description=_("error report"))
    def error_report_link(self, job: ImportJob) -> str:
        if not job.invalid_count:
            return "—"
        url = reverse("admin:catalog_importjob_errors_csv", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the error report (CSV)"))


# The category characteristics' admins live in their own module; importing it registers them.
from catalog import attribute_admin  # noqa: E402, F401
