"""HTML pages of the catalog: imports with their progress and preview, downloads (the
products' pages are in catalog/product_views.py)."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog import import_pages, import_services, selectors, services
from catalog.downloads import DEFAULT_TEMPLATE_FORMAT, error_report_response, template_response
from catalog.forms import ImportUploadForm
from catalog.importing.columns import COLUMNS
from catalog.importing.mapping import MissingColumns
from catalog.importing.messages import file_too_large_message
from catalog.importing.template import category_template_response
from catalog.models import Category, ImportJob
from portal.errors import ConflictError
from portal.htmx import is_partial
from portal.uploads import upload_limit, upload_too_large
from sellers.models import Seller, User
from sellers.selectors import seller_for_user

IMPORTS_PER_PAGE = 20
FIRST_ERRORS = 50


# ---------------------------------------------------------------------------------------------
# Helpers


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind login_required)."""
    return cast(User, request.user)


def _seller(request: HttpRequest) -> Seller:
    seller = seller_for_user(user=_user(request))
    if seller is None:
        raise Http404(_("Create your seller application first."))
    return seller


def _import_limits() -> dict[str, Any]:
    return {
        "max_bytes": settings.CATALOG_UPLOAD_MAX_BYTES,
        "max_size": filesizeformat(settings.CATALOG_UPLOAD_MAX_BYTES),
        "max_rows": settings.CATALOG_MAX_ROWS,
        "max_columns": settings.CATALOG_MAX_COLUMNS,
    }


def _script(text: str) -> str:
    if any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text):
        return "zh"
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    return "latin"


def _column_rows() -> list[dict[str, Any]]:
    """The alias table of the import columns, grouped by script for the upload page."""
    rows = []
    for column in COLUMNS:
        row: dict[str, Any] = {
            "name": column.name,
            "label": column.label,
            "required": column.required,
            "zh": [],
            "ru": [],
            "latin": [],
        }
        for alias in column.aliases:
            row[_script(alias)].append(alias)
        rows.append(row)
    return rows


def _template_categories() -> list[tuple[str, str]]:
    """The leaf categories (products take leaves) for the category template's drop-down, each
    named "parent › leaf" in the active language, in code order."""
    leaves = Category.objects.filter(is_leaf=True).select_related("parent").order_by("code")
    return [
        (leaf.code, f"{leaf.parent.name} › {leaf.name}" if leaf.parent else leaf.name)
        for leaf in leaves
    ]


def _no_seller_redirect(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Create your seller application first."))
    return redirect("sellers:application")


# ---------------------------------------------------------------------------------------------
# Imports


def _import_list_page(
    request: HttpRequest,
    seller: Seller,
    form: ImportUploadForm,
    status: int = 200,
    mapping_offer: dict[str, Any] | None = None,
) -> HttpResponse:
    jobs = Paginator(selectors.import_job_list(seller=seller), IMPORTS_PER_PAGE)
    page = jobs.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "seller": seller,
        "page_obj": page,
        "columns": _column_rows(),
        "mapping_offer": mapping_offer,
        "template_categories": _template_categories(),
        **_import_limits(),
    }
    template = "catalog/importjob_list.html"
    if request.method == "GET" and is_partial(request):
        template += "#history"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@upload_limit(lambda: settings.CATALOG_UPLOAD_MAX_BYTES)
@vary_on_headers("HX-Request")
def import_list(request: HttpRequest) -> HttpResponse:
    """The upload form, the template downloads and the history; POST uploads a file."""
    seller = seller_for_user(user=_user(request))
    if seller is None:
        return _no_seller_redirect(request)
    if request.method != "POST":
        return _import_list_page(request, seller, ImportUploadForm())

    data, files = request.POST, request.FILES  # parse the body; the handler may cut it off
    form_marker = ImportUploadForm.OPTIONS_MARKER
    if upload_too_large(request):
        kept = {name: data[name] for name in ("mode", "transliterate", form_marker) if name in data}
        form = ImportUploadForm(data=kept)
        form.is_valid()  # the file was dropped: replace "required" by what really happened
        form.errors["file"] = form.error_class([file_too_large_message()])
        return _import_list_page(request, seller, form, status=413)

    form = ImportUploadForm(data, files)
    if not form.is_valid():
        return _import_list_page(request, seller, form, status=400)
    mapping: dict[str, str] = {}
    try:
        mapping = import_pages.mapping_from_post(data)
        job, created = services.import_job_create(
            seller=seller,
            user=_user(request),
            file=form.cleaned_data["file"],
            mode=form.cleaned_data["mode"],
            mapping=mapping or None,
            transliterate=form.transliterate_choice(data),
        )
    except MissingColumns as error:
        # Failed as always (400 on the file); the page offers to map the columns it has.
        form.add_error("file", error.messages)
        offer = import_pages.mapping_offer_for_error(error, mapping)
        return _import_list_page(request, seller, form, status=400, mapping_offer=offer)
    except ValidationError as error:
        mapping_errors = error.message_dict.get("mapping") if hasattr(error, "error_dict") else None
        if mapping_errors:
            form.add_error(None, mapping_errors)
        else:
            form.add_error("file", error.messages)
        return _import_list_page(request, seller, form, status=400)
    except ConflictError as error:
        form.add_error(None, error.message)
        return _import_list_page(request, seller, form, status=409)
    if not created:
        messages.info(request, _("This file is already being imported; here is its progress."))
    return redirect("catalog:import-detail", id=job.pk)


def _delimiter_label(delimiter: str | None) -> str:
    names = {",": _("comma"), ";": _("semicolon"), "\t": _("tab"), "|": _("vertical bar")}
    if not delimiter:
        return ""
    name = names.get(delimiter)
    return f"{name} ({delimiter})" if name and delimiter != "\t" else (name or delimiter)


def _import_status_context(job: ImportJob, page: Any = None, **extra: Any) -> dict[str, Any]:
    """The job's page: the groups of errors by cause, then the row list (errors before warnings,
    so thousands of title-style warnings never push the rejected rows out), paged."""
    preview = import_pages.preview_context(job, page)
    return {
        "job": job,
        **preview,
        "more_errors": preview.get("problems_next") is not None,
        "first_errors_limit": FIRST_ERRORS,
        "delimiter_label": _delimiter_label((job.detected or {}).get("delimiter")),
        "mapping_offer": import_pages.mapping_offer_for_job(job),
        **extra,
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def import_detail(request: HttpRequest, id: int) -> HttpResponse:
    job = selectors.import_job_get(seller=_seller(request), id=id)
    template = "catalog/importjob_detail.html"
    if is_partial(request):
        template += "#status"
    return render(request, template, _import_status_context(job, request.GET.get("page")))


@login_required
@require_GET
def import_progress(request: HttpRequest, id: int) -> HttpResponse:
    """The status region alone: polled every second while the job is queued or running."""
    job = selectors.import_job_get(seller=_seller(request), id=id)
    response = render(request, "catalog/importjob_detail.html#status", _import_status_context(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def import_commit(request: HttpRequest, id: int) -> HttpResponse:
    job = selectors.import_job_get(seller=_seller(request), id=id)
    commit_error = ""
    try:
        job = services.import_job_commit(job=job, user=_user(request))
    except ConflictError as error:
        commit_error = error.message
    if is_partial(request):
        return render(
            request,
            "catalog/importjob_detail.html#status",
            _import_status_context(job, commit_error=commit_error),
        )
    if commit_error:
        messages.error(request, commit_error)
    else:
        messages.success(request, _("The import is being committed."))
    return redirect("catalog:import-detail", id=job.pk)


@login_required
@require_GET
def import_errors_csv(request: HttpRequest, id: int) -> HttpResponseBase:
    job = selectors.import_job_get(seller=_seller(request), id=id)
    return error_report_response(job)


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponseBase:
    """The import template; with `category=<leaf code>`, that category's template (its
    characteristics as columns, drop-downs of their values in the reader's language)."""
    file_format = request.GET.get("format", DEFAULT_TEMPLATE_FORMAT)
    seller = seller_for_user(user=_user(request))
    category = request.GET.get("category", "").strip()[:100]
    try:
        if category:
            return category_template_response(file_format, code=category, seller=seller)
        return template_response(file_format, seller=seller)
    except ValidationError as error:
        raise Http404(error.messages[0]) from None


@login_required
@require_POST
def import_remap(request: HttpRequest, id: int) -> HttpResponse:
    """Run a job that failed on missing columns again, with the columns the seller mapped."""
    job = selectors.import_job_get(seller=_seller(request), id=id)
    try:
        mapping = import_pages.mapping_from_post(request.POST)
        if not mapping:
            raise ValidationError({"mapping": [_("Choose a column for each missing field.")]})
        new_job, _created = import_services.import_job_rerun(
            job=job, user=_user(request), mapping=mapping
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("catalog:import-detail", id=job.pk)
    except ConflictError as error:
        messages.error(request, error.message)
        return redirect("catalog:import-detail", id=job.pk)
    messages.success(request, _("The file is being imported again with your column mapping."))
    return redirect("catalog:import-detail", id=new_job.pk)
