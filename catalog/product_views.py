"""HTML pages of the seller's products: the list of cards with their variants folded, one
product (a variant) with its card, and the selected products' removal and export.

The list pages cards (`catalog.card_selectors.card_list`: one row per card), then loads the
page's cards with all their variants in one query (`cards_for_keys`). A card of several
variants is selected by its key (`card` in the bulk form), a card of one variant by its SKU.
"""

from io import BytesIO
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from import_export.formats.base_formats import CSV, XLSX

from catalog import card_services, selectors, services
from catalog.card_display import AttributeNames, product_readiness_view, readiness_view
from catalog.card_selectors import Card, card_get, card_list, cards_for_keys
from catalog.forms import ProductFilterForm
from catalog.models import Product
from catalog.readiness import NEEDS_FIXES, RULES
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
LIST_PARAMETERS = ("q", "category", "brand", "readiness", "page")
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


def _selected(request: HttpRequest, name: str) -> list[str]:
    """The SKUs (or card keys) ticked in the list, each once, in the order sent."""
    values = [value for value in request.POST.getlist(name) if value and len(value) <= 64]
    return list(dict.fromkeys(values))[:MAX_SELECTED]


def _selected_products(seller: Seller, skus: list[str], cards: list[str]) -> QuerySet[Product]:
    """The seller's products among the SKUs, and the variants of the ticked cards (another
    seller's SKU or card selects nothing)."""
    chosen = Q(sku__in=skus)
    if cards:
        chosen |= Q(group__in=cards)
    return selectors.product_list(seller=seller).filter(chosen)


def _cards(seller: Seller, form: ProductFilterForm) -> QuerySet[Any]:
    """One row per card matching the filters (`card_list`), with the brand and the issue
    filters added: both are conditions on the variants, so a card is listed when a variant
    matches, and its page still shows all its variants (`cards_for_keys`)."""
    filters = form.filters()
    readiness = form.readiness_filter()
    issue = readiness if readiness in RULES else None
    cards = card_list(
        seller=seller,
        readiness=NEEDS_FIXES if issue else readiness,
        category=filters["category"],
        q=filters["q"],
    )
    brand = filters["brand"]
    if brand:
        cards = cards.filter(Q(brand__name__iexact=brand) | Q(brand__name_zh__iexact=brand))
    if issue:
        cards = cards.filter(readiness_issues__contains=[{"code": issue}])
    return cards


def card_rows(cards: list[Card]) -> list[dict[str, Any]]:
    """What the list shows of each card: its readiness, price range, total stock, and each
    variant with its characteristics named in the reader's language."""
    names = AttributeNames.load(variant for card in cards for variant in card.variants)
    rows = []
    for card in cards:
        prices = [variant.price_uzs for variant in card.variants]
        views = [product_readiness_view(variant) for variant in card.variants]
        variants = [
            {
                "product": variant,
                "characteristics": names.characteristics(variant.attributes),
                "readiness": view,
            }
            for variant, view in zip(card.variants, views, strict=True)
        ]
        states = {view.state for view in views}
        rows.append(
            {
                "card": card,
                "first": card.variants[0],
                "variants": variants,
                "readiness": readiness_view(
                    card.readiness, NEEDS_FIXES if NEEDS_FIXES in states else None
                ),
                "price_min": min(prices),
                "price_max": max(prices),
                "stock": sum(variant.stock for variant in card.variants),
                "updated_at": max(variant.updated_at for variant in card.variants),
            }
        )
    return rows


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
    page = Paginator(_cards(seller, form), PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    cards = cards_for_keys(seller=seller, keys=[row["key"] for row in page.object_list])
    template = "catalog/product_list.html"
    if is_partial(request):
        template += "#results"
    context = {
        "form": form,
        "page_obj": page,
        "cards": card_rows(cards),
        "filtered": any(request.GET.get(name) for name in LIST_PARAMETERS[:-1]),
        "seller": seller,
        "can_change": seller.can_import,
        "list_query": request.GET.urlencode(),
    }
    return render(request, template, context)


def _product_bulk_action(request: HttpRequest, seller: Seller) -> HttpResponseBase:
    back = _list_url(request.POST.get("list_query", ""))
    action = request.POST.get("action", "")
    skus, cards = _selected(request, "sku"), _selected(request, "card")
    if action not in EXPORT_ACTIONS and action != DELETE_ACTION:
        messages.error(request, _("Choose what to do with the selected products."))
        return redirect(back)
    if not skus and not cards:
        messages.error(request, _("Select at least one product first."))
        return redirect(back)
    if action in EXPORT_ACTIONS:
        return products_export_response(
            _selected_products(seller, skus, cards), file_format=EXPORT_ACTIONS[action]
        )
    if cards:  # a card's variants, as they are now: the confirmation lists and sends them
        skus = list(_selected_products(seller, skus, cards).values_list("sku", flat=True))
    if request.POST.get("confirm") != "yes":
        products = list(_selected_products(seller, skus, []))
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
    card = card_get(seller=seller, key=product.card_key)
    names = AttributeNames.load([product])
    readiness = product_readiness_view(product)
    context = {
        "product": product,
        "card": card,
        "others": [variant for variant in card.variants if variant.pk != product.pk],
        "characteristics": names.characteristics(product.attributes),
        "readiness": readiness,
        "can_transliterate": "uz_cyrillic" in readiness_view(card.readiness).codes,
        "seller": seller,
        "can_change": seller.can_import,
    }
    return render(request, "catalog/product_detail.html", context)


@login_required
@require_POST
def card_transliterate(request: HttpRequest) -> HttpResponse:
    """Write the card's Uzbek texts in Latin letters (the "Write Uzbek in Latin" button), then
    back to the variant the seller was on."""
    seller = _seller_or_none(request)
    if seller is None:
        return _no_seller_redirect(request)
    key = request.POST.get("card", "")[:64]
    sku = request.POST.get("sku", "")[:64]
    try:
        card = card_services.card_transliterate(seller=seller, key=key)
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(sku) if sku else reverse("catalog:product-list"))
    messages.success(request, _("The card's Uzbek texts are now written in Latin letters."))
    skus = {variant.sku for variant in card.variants}
    return redirect(_detail_url(sku if sku in skus else card.variants[0].sku))


def _detail_url(sku: str) -> str:
    return reverse("catalog:product-detail", kwargs={"sku": sku})
