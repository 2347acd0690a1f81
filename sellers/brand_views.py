"""HTML pages of a seller's brands: the list with each brand's review, and the request form.

A brand can be asked for at any time, also once the seller is approved (the application's
brands are edited on the application page while it is a draft)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from portal.errors import ConflictError
from portal.htmx import partial_or_page
from portal.uploads import upload_limit, upload_too_large
from sellers import brand_selectors, brand_services, selectors
from sellers.brand_forms import BrandRequestForm, BrandStateFilterForm
from sellers.models import MAX_BRANDS, Seller
from sellers.views import (
    ACCEPTED_DOCUMENT_TYPES,
    AuthenticatedRequest,
    document_page_too_large_message,
)


def _list_context(seller: Seller | None, state: str | None) -> dict[str, Any]:
    brands = list(brand_selectors.brand_list(seller=seller)) if seller else []
    return {
        "seller": seller,
        "brands": [brand for brand in brands if not state or brand.state == state],
        "brand_count": len(brands),
        "max_brands": MAX_BRANDS,
        "can_add": seller is not None and not seller.is_closed and len(brands) < MAX_BRANDS,
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def brand_list(request: AuthenticatedRequest) -> HttpResponse:
    """The seller's brands with their review state and, for a rejected one, the reason."""
    seller = selectors.seller_for_user(user=request.user)
    filter_form = BrandStateFilterForm(request.GET or None)
    state = filter_form.cleaned_data["state"] if filter_form.is_valid() else None
    context = _list_context(seller, state or None) | {"filter_form": filter_form}
    return render(request, partial_or_page(request, "sellers/brand_list.html", "brands"), context)


def _form_context(seller: Seller, form: BrandRequestForm) -> dict[str, Any]:
    return {
        "seller": seller,
        "form": form,
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
        "accepted_types": ACCEPTED_DOCUMENT_TYPES,
    }


@login_required
@upload_limit(lambda: settings.DOCUMENT_MAX_BYTES)
@require_http_methods(["GET", "POST"])
def brand_add(request: AuthenticatedRequest) -> HttpResponse:
    """Ask for a brand; `?name=` fills in its name (the import's "request this brand" link)."""
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        messages.error(request, _("Save your application before adding brands."))
        return redirect("sellers:application")
    template = "sellers/brand_form.html"
    if request.method == "GET":
        form = BrandRequestForm(initial={"name": request.GET.get("name", "").strip()[:100]})
        status = 409 if seller.is_closed else 200
        return render(request, template, _form_context(seller, form), status=status)

    form = BrandRequestForm(request.POST, request.FILES)
    if upload_too_large(request):
        form = BrandRequestForm(
            initial={k: request.POST.get(k) for k in BrandRequestForm.base_fields}
        )
        context = _form_context(seller, form) | {"upload_error": document_page_too_large_message()}
        return render(request, template, context, status=413)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        document, document_kind = data.pop("document"), data.pop("document_kind")
        try:
            brand = brand_services.brand_request(
                seller=seller,
                user=request.user,
                data=data,
                document=document,
                document_kind=document_kind,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        except (ConflictError, PermissionDenied) as error:
            form.add_error(None, str(getattr(error, "message", "") or error))
            status = 409
        else:
            messages.success(
                request,
                _("You asked for the brand %(brand)s. Bozor reviews it; we will e-mail you.")
                % {"brand": str(brand)},
            )
            return redirect("sellers:brand-list")
    return render(request, template, _form_context(seller, form), status=status)
