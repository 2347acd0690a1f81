"""HTML pages of the seller's products: the list, one product, and the selected products'
removal and export."""

from io import BytesIO
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from import_export.formats.base_formats import CSV, XLSX

from catalog import selectors, services
from catalog.forms import ProductFilterForm
from catalog.models import Product
from catalog.resources import ProductResource
from portal.downloads import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, file_response
from portal.errors import ConflictError
from portal.htmx import is_partial
from sellers.models import Seller, User
from sellers.selectors import seller_for_user

PRODUCTS_PER_PAGE = 50
# A selection is at most one page; a little more allows for a page that grew meanwhile.
MAX_SELECTED = 500
# The list's own parameters, kept when the list is shown again after a bulk action.
LIST_PARAMETERS = ("q", "category", "brand", "page")
EXPORT_ACTIONS = {"export_csv": "csv", "export_xlsx": "xlsx"}
DELETE_ACTION = "delete"


def _seller_or_none(request: HttpRequest) -> Seller | None:
    return seller_for_user(user=cast(User, request.user))


def _no_seller_redirect(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Create your seller application first."))
    return redirect("sellers:application")


def _list_url(query: str) -> str:
    """The product list with only its own parameters from `query` (a query string sent back
    by the form: never a redirect elsewhere)."""
    sent = QueryDict(query)
    kept = QueryDict(mutable=True)
    for name in LIST_PARAMETERS:
        value = sent.get(name, "")
        if value:
            kept[name] = value[:200]
    url = reverse("catalog:product-list")
    return f"{url}?{kept.urlencode()}" if kept else url


def _selected_skus(request: HttpRequest) -> list[str]:
    """The SKUs ticked in the list, each once, in the order sent."""
    skus = [sku for sku in request.POST.getlist("sku") if sku and len(sku) <= 64]
    return list(dict.fromkeys(skus))[:MAX_SELECTED]


def _selected_products(seller: Seller, skus: list[str]) -> QuerySet[Product]:
    """The seller's products among the SKUs (another seller's SKU selects nothing)."""
    return selectors.product_list(seller=seller).filter(sku__in=skus)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def product_list(request: HttpRequest) -> HttpResponseBase:
    """The products with search and filters; POST acts on the ticked ones (export, delete)."""
    seller = _seller_or_none(request)
    if seller is None:
        return _no_seller_redirect(request)
    if request.method == "POST":
        return _product_bulk_action(request, seller)
    form = ProductFilterForm(request.GET or None, seller=seller)
    products = selectors.product_list(seller=seller, **form.filters())
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    template = "catalog/product_list.html"
    if is_partial(request):
        template += "#results"
    context = {
        "form": form,
        "page_obj": page,
        "seller": seller,
        "can_change": seller.can_import,
        "list_query": request.GET.urlencode(),
    }
    return render(request, template, context)


def _product_bulk_action(request: HttpRequest, seller: Seller) -> HttpResponseBase:
    back = _list_url(request.POST.get("list_query", ""))
    action = request.POST.get("action", "")
    skus = _selected_skus(request)
    if action not in EXPORT_ACTIONS and action != DELETE_ACTION:
        messages.error(request, _("Choose what to do with the selected products."))
        return redirect(back)
    if not skus:
        messages.error(request, _("Select at least one product first."))
        return redirect(back)
    if action in EXPORT_ACTIONS:
        return products_export_response(
            _selected_products(seller, skus), file_format=EXPORT_ACTIONS[action]
        )
    if request.POST.get("confirm") != "yes":
        products = list(_selected_products(seller, skus))
        if not products:
            messages.error(request, _("None of the selected products exists any more."))
            return redirect(back)
        context = {"products": products, "list_query": request.POST.get("list_query", "")}
        return render(request, "catalog/product_confirm_delete.html", context)
    try:
        deleted = services.product_delete_selected(seller=seller, skus=skus)
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)d product deleted.", "%(count)d products deleted.", deleted)
        % {"count": deleted},
    )
    return redirect(back)


def products_export_response(products: QuerySet[Product], *, file_format: str) -> FileResponse:
    """The products in the staff export's format (the canonical import columns, every text
    cell escaped against formulas), as CSV (UTF-8 with BOM, for Excel) or XLSX."""
    dataset = ProductResource().export(queryset=products.select_related("seller"))
    if file_format == "xlsx":
        data = XLSX().export_data(dataset)
        content_type = XLSX_CONTENT_TYPE
    else:
        data = CSV().export_data(dataset).encode("utf-8-sig")
        content_type = CSV_CONTENT_TYPE
    return file_response(
        BytesIO(data), filename=f"bozor-products.{file_format}", content_type=content_type
    )


@login_required
@require_GET
def product_detail(request: HttpRequest, sku: str) -> HttpResponse:
    """Every field of one of the seller's products, with the import that last wrote it."""
    seller = _seller_or_none(request)
    if seller is None:
        return _no_seller_redirect(request)
    product = selectors.product_get(seller=seller, sku=sku)
    context = {"product": product, "seller": seller, "can_change": seller.can_import}
    return render(request, "catalog/product_detail.html", context)
