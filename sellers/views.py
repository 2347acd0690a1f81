"""HTML pages of the seller side: invitations, the application, documents and the dashboard.

The account pages (sign-up, log in, password, language) are in sellers.account_views.

Thin views: forms parse, services decide, selectors read. An HTMX request gets only the partial
it swaps (`"sellers/<page>.html#<partial>"`), a normal request the full page.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from portal.errors import ConflictError
from portal.htmx import is_partial, partial_or_page
from portal.uploads import upload_limit, upload_too_large
from sellers import limits, selectors, services
from sellers.dashboard import dashboard_kpis
from sellers.document_forms import DocumentRenewalForm
from sellers.files import document_file_response
from sellers.forms import (
    DocumentUploadForm,
    InviteForm,
    SellerApplicationForm,
    brand_formset,
    inline_field_errors,
)
from sellers.models import Invitation, MembershipRole, Seller, SellerStatus, User
from sellers.validators import email_normalize

ACCEPTED_DOCUMENT_TYPES = "PDF, JPEG, PNG"


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """What a view behind login_required receives."""

    user: User


# ---------------------------------------------------------------------------------------------
# Helpers


def _error_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(msgs) for field, msgs in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def _add_service_errors(form: Form, error: ValidationError) -> list[str]:
    """Put a service's errors on the form's fields; return those no field of the form owns."""
    leftover: list[str] = []
    for field, msgs in _error_messages(error).items():
        for message in msgs:
            if field in form.fields:
                form.add_error(field, message)
            elif field in ("__all__", None):
                form.add_error(None, message)
            else:
                leftover.append(message)
    return leftover


def _reload_seller(user: User, seller: Seller | None) -> Seller | None:
    """After a rolled-back write: drop the cached membership and re-read the stored seller."""
    relation = User.membership.related  # type: ignore[attr-defined]
    if relation.is_cached(user):
        relation.delete_cached_value(user)
    if seller is not None:
        seller.refresh_from_db()
        return seller
    return selectors.seller_for_user(user=user)


def _is_owner(user: User) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role == MembershipRole.OWNER


# ---------------------------------------------------------------------------------------------
# Invitations


def _invitation_for_user(user: User, token: UUID) -> Invitation:
    """The invitation behind a link, for the user it was sent to only; 404 for anyone else.

    A scoped read that belongs in sellers/selectors.py (not this helper's file to edit).
    """
    invitation = (
        Invitation.objects.select_related("seller", "invited_by")
        .filter(token=token, email__iexact=email_normalize(user.email))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedRequest, token: UUID) -> HttpResponse:
    """The page an invitation e-mail links to: join the inviting seller with one click."""
    invitation = _invitation_for_user(request.user, token)
    if invitation.accepted_at is not None:
        if selectors.seller_for_user(user=request.user) == invitation.seller:
            messages.info(request, _("You already accepted this invitation."))
            return redirect("sellers:dashboard")
        raise Http404
    context: dict[str, Any] = {"invitation": invitation}
    if request.method == "GET":
        return render(request, "sellers/invitation_detail.html", context)
    try:
        membership = services.invitation_accept(token=token, user=request.user)
    except ValidationError as error:
        context["errors"] = [m for msgs in _error_messages(error).values() for m in msgs]
        return render(request, "sellers/invitation_detail.html", context, status=400)
    except ConflictError as error:
        context["errors"] = [error.message]
        return render(request, "sellers/invitation_detail.html", context, status=409)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("You joined %(seller)s.") % {"seller": str(membership.seller)})
    return redirect("sellers:dashboard")


# ---------------------------------------------------------------------------------------------
# Dashboard and members


def _dashboard_context(request: AuthenticatedRequest, seller: Seller) -> dict[str, Any]:
    # seller_get_for_user prefetched brands, documents and the history (oldest first).
    history = list(reversed(seller.status_history.all()))
    # The reviewer's latest decision is news until the seller submits again.
    latest = history[0] if history else None
    return {
        "seller": seller,
        "checklist": selectors.seller_checklist(seller=seller),
        "history": history,
        "latest_decision": latest
        if latest and latest.to_status != SellerStatus.SUBMITTED
        else None,
        "members": seller.memberships.select_related("user").order_by("created_at", "pk"),
        "invitations": seller.invitations.filter(accepted_at__isnull=True).order_by("-created_at"),
        "is_owner": _is_owner(request.user),
        "invite_form": InviteForm(),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    if selectors.seller_for_user(user=request.user) is None:
        return render(request, "sellers/dashboard.html", {"seller": None})
    seller = selectors.seller_get_for_user(user=request.user)
    context = _dashboard_context(request, seller)
    context["kpis"] = dashboard_kpis(seller=seller)
    return render(request, partial_or_page(request, "sellers/dashboard.html", "status"), context)


@login_required
@require_POST
def member_invite(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_get_for_user(user=request.user)
    form = InviteForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            invitation = services.member_invite(
                seller=seller, by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            for message in _add_service_errors(form, error):
                form.add_error(None, message)
            status = 400
        except (ConflictError, PermissionDenied) as error:
            form.add_error(None, str(getattr(error, "message", "") or error))
            status = 403 if isinstance(error, PermissionDenied) else 409
        except limits.MailLimitReached as refusal:
            form.add_error(None, refusal.message)
            status = 429
        else:
            notice = _("Invitation sent to %(email)s.") % {"email": invitation.email}
            if not is_partial(request):
                messages.success(request, notice)
                return redirect("sellers:dashboard")
            form = InviteForm()
            context = _dashboard_context(request, seller) | {"invite_form": form, "notice": notice}
            return render(request, "sellers/dashboard.html#members", context)
    else:
        status = 400
    context = _dashboard_context(request, seller) | {"invite_form": form}
    # htmx swaps only 2xx answers by default: the form with its errors is the answer.
    if is_partial(request):
        return render(request, "sellers/dashboard.html#members", context)
    return render(request, "sellers/dashboard.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The application


def _application_context(
    *,
    seller: Seller | None,
    form: SellerApplicationForm | None = None,
    formset: Any = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    editable = seller is None or seller.is_editable
    if editable:
        form = form or SellerApplicationForm(initial=SellerApplicationForm.initial_from(seller))
        formset = formset or brand_formset(seller=seller)
    return {
        "seller": seller,
        "editable": editable,
        "form": form,
        "formset": formset,
        "errors": errors or [],
        "brands": list(seller.brands.all()) if seller is not None else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def application(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_for_user(user=request.user)
    if request.method == "GET":
        return render(request, "sellers/seller_form.html", _application_context(seller=seller))

    form = SellerApplicationForm(request.POST)
    formset = brand_formset(data=request.POST, seller=seller)
    errors: list[str] = []
    if form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                if seller is None:
                    saved = services.seller_create(user=request.user, data=form.cleaned_data)
                else:
                    saved = services.seller_update(
                        seller=seller, user=request.user, data=form.cleaned_data
                    )
                services.brands_set(seller=saved, user=request.user, brands=formset.brands())
        except (ConflictError, ValidationError) as error:
            # Rolled back: forget anything cached from the attempt, show what is stored.
            seller = _reload_seller(request.user, seller)
            if isinstance(error, ConflictError):
                context = _application_context(seller=seller, errors=[error.message])
                return render(request, "sellers/seller_form.html", context, status=409)
            errors = _add_service_errors(form, error)
        else:
            if request.POST.get("action") == "submit":
                return _submit(request, saved)
            messages.success(request, _("Your application is saved."))
            return redirect("sellers:application")
    context = _application_context(seller=seller, form=form, formset=formset, errors=errors)
    # A locked application is shown read-only with its status, whatever was posted.
    status = 400 if context["editable"] else 409
    return render(request, "sellers/seller_form.html", context, status=status)


def _submit(request: AuthenticatedRequest, seller: Seller) -> HttpResponse:
    try:
        services.seller_submit(seller=seller, user=request.user)
    except ValidationError as error:
        missing = [m for msgs in _error_messages(error).values() for m in msgs]
        seller.refresh_from_db()
        context = _application_context(seller=seller) | {"submit_errors": missing}
        return render(request, "sellers/seller_form.html", context, status=400)
    except ConflictError as error:
        seller.refresh_from_db()
        context = _application_context(seller=seller, errors=[error.message])
        return render(request, "sellers/seller_form.html", context, status=409)
    messages.success(
        request,
        _(
            "Your application was submitted. We will tell you here and by e-mail when it is reviewed."
        ),
    )
    return redirect("sellers:dashboard")


@login_required
@require_POST
def application_submit(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        messages.error(request, _("Fill in and save your application first."))
        return redirect("sellers:application")
    return _submit(request, seller)


@login_required
@require_POST
def application_validate(request: AuthenticatedRequest) -> HttpResponse:
    """One input's inline validation: its translated errors, or an OK mark."""
    name = request.htmx.trigger_name or request.POST.get("_field") or request.GET.get("field", "")
    errors, checked = inline_field_errors(name=name, data=request.POST)
    return render(
        request,
        "sellers/seller_form.html#field-message",
        {"errors": errors, "checked": checked},
    )


# ---------------------------------------------------------------------------------------------
# Documents


def _documents_context(seller: Seller | None, form: DocumentUploadForm | None = None) -> dict:
    return {
        "seller": seller,
        "form": form or DocumentRenewalForm(),
        # An approved seller uploads renewals; the current document stays valid meanwhile.
        "can_renew": seller is not None and seller.status == SellerStatus.APPROVED,
        "documents": list(seller.documents.select_related("uploaded_by")) if seller else [],
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
        "accepted_types": ACCEPTED_DOCUMENT_TYPES,
    }


def document_page_too_large_message() -> str:
    """What an upload page says of a document over DOCUMENT_MAX_BYTES (answered 413)."""
    return _("The file is larger than %(limit)s. Upload a smaller scan (PDF, JPEG or PNG).") % {
        "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)
    }


@login_required
@upload_limit(lambda: settings.DOCUMENT_MAX_BYTES)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def documents(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_for_user(user=request.user)
    if request.method == "GET":
        page = partial_or_page(request, "sellers/document_list.html", "documents")
        form = None
        if seller is not None and request.GET.get("renew"):  # the "Renew" link of a row
            renewed = selectors.document_get(seller=seller, id=request.GET["renew"])
            form = DocumentRenewalForm(initial={"kind": renewed.kind, "replaces": renewed.pk})
        return render(request, page, _documents_context(seller, form))

    if seller is None:
        messages.error(request, _("Save your application before uploading documents."))
        return redirect("sellers:application")
    # Reading the body runs the size limit; only then can upload_too_large() tell.
    form = DocumentRenewalForm(request.POST, request.FILES)
    if upload_too_large(request):
        form = DocumentRenewalForm(
            initial={"kind": request.POST.get("kind"), "replaces": request.POST.get("replaces")}
        )
        context = _documents_context(seller, form) | {
            "upload_error": document_page_too_large_message()
        }
        return render(request, "sellers/document_list.html", context, status=413)

    status = 400
    if form.is_valid():
        try:
            document = services.document_upload(
                seller=seller,
                user=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                expires_on=form.cleaned_data["expires_on"],
                replaces=form.cleaned_data.get("replaces"),
            )
        except ValidationError as error:
            for message in _add_service_errors(form, error):
                form.add_error(None, message)
        except ConflictError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            if document.replaces_id is not None:
                notice = _(
                    "%(kind)s uploaded. The current one stays valid until the operations team "
                    "accepts the new one."
                )
            elif seller.status == SellerStatus.APPROVED:
                notice = _("%(kind)s uploaded. The operations team will review it.")
            else:
                notice = _("%(kind)s uploaded. It will be reviewed with your application.")
            messages.success(request, notice % {"kind": document.get_kind_display()})
            return redirect("sellers:documents")
    return render(
        request, "sellers/document_list.html", _documents_context(seller, form), status=status
    )


@login_required
@require_POST
def document_delete(request: AuthenticatedRequest, id: int) -> HttpResponse:
    """Remove a document from an editable application (to replace a wrong or blurry scan)."""
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        raise Http404
    document = selectors.document_get(seller=seller, id=id)
    name = document.original_name
    error = None
    try:
        services.document_delete(seller=seller, user=request.user, document=document)
    except (ConflictError, PermissionDenied) as refusal:
        error = str(getattr(refusal, "message", "") or refusal)
    notice = "" if error else _("%(name)s was removed.") % {"name": name}
    if is_partial(request):
        context = _documents_context(seller) | {"notice": notice, "list_error": error}
        return render(request, "sellers/document_list.html#documents", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect("sellers:documents")


@login_required
@require_GET
def document_file(request: AuthenticatedRequest, id: int) -> FileResponse:
    """The stored file, for members of its seller only (404 for anyone else)."""
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        raise Http404
    return document_file_response(selectors.document_get(seller=seller, id=id))
