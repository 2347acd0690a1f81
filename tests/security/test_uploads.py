"""RELIABILITY rows 7 and 13: files whose content is not what their name says are refused on
every upload route, pages and API alike, and leave nothing behind.

Upload routes are found, not listed: every multipart form on the pages a draft seller, an
approved seller and a staff user see, and every multipart operation of the OpenAPI schema.
Each route first accepts a genuine file of its kind (so a refusal below is about the content,
not a broken form), then refuses every disguise with a message and no change at all.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import SAMPLES
from tests.security.conftest import db_diff, db_state
from tests.security.forms import Form, page_forms
from tests.security.routes import all_routes, is_public, read

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
OLE2_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00" + b"\x00" * 60


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


# (file name, content, the kinds of route that must refuse it). A PNG named .csv is a real
# PNG, which a document route may keep (its stored name is generated, its type sniffed).
DISGUISES = [
    ("price-list.csv", PNG, {"table"}),
    ("catalog.csv", PDF, {"table"}),
    ("licence.pdf", HTML, {"document", "table"}),
    ("catalog.xlsx", HTML, {"document", "table"}),
    ("scan.png", HTML, {"document", "table"}),
    ("scan.jpg", EXE, {"document", "table"}),
    ("licence.pdf", EXE, {"document", "table"}),
    ("catalog.xlsx", OLE2_XLS, {"document", "table"}),
    ("catalog.xlsx", _zip_not_xlsx(), {"document", "table"}),
    ("catalog.csv", HTML, {"document"}),
]


def genuine_file(kind: str, path: str) -> tuple[str, bytes]:
    if kind == "document":
        return "licence.pdf", PDF
    if "sale" in path:
        return "sales.csv", (SAMPLES / "sales_2025.csv").read_bytes()[:2000].rsplit(b"\n", 1)[0]
    head = b"sku,title_uz,title_ru,brand,category,price_uzs,stock,ikpu,weight_g\n"
    row = "UP-1,Choynak elektr yangi,Чайник электрический новый,Lanyue,"
    row += "appliances.kitchen.kettles,125000,5,10711001000000000,900\n"
    return "catalog.csv", head + row.encode()


def route_kind(path: str, fields: dict[str, str]) -> str:
    # A brand's request carries its trademark document (PDF, JPEG or PNG), as documents do.
    if "kind" in fields or "document" in path or "brands" in path:
        return "document"
    return "table"


def media_files(media_root: str) -> set[str]:
    return {str(p) for p in Path(media_root).rglob("*") if p.is_file()}


@pytest.fixture
def users(categories):
    from sellers.models import SellerStatus
    from tests.sellers.factories import StaffFactory, seller_with_owner

    _draft, draft_user = seller_with_owner(status=SellerStatus.DRAFT, documents=False)
    _approved, approved_user = seller_with_owner(status=SellerStatus.APPROVED, brands=["Lanyue"])
    return {"draft": draft_user, "approved": approved_user, "staff": StaffFactory()}


def discover_upload_forms(users) -> list[tuple[str, Form]]:
    """(user key, form) for every multipart form on every page without parameters."""
    found: list[tuple[str, Form]] = []
    seen = set()
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        for route in all_routes():
            if route.params or is_public("/" + route.route):
                continue
            if route.is_api or (route.is_admin != (key == "staff")):
                continue
            path = route.build({})
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                read(response)
                continue
            for form in page_forms(read(response).decode(), path):
                target = form.hx_post or form.action
                if form.is_upload and (key, target) not in seen:
                    seen.add((key, target))
                    found.append((key, form))
    return found


def post_form(client: Client, form: Form, name: str, content: bytes):
    data = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
    if "expires_on" in data and not data["expires_on"]:
        data["expires_on"] = "2030-12-31"
    if "name" in data and not data["name"]:  # a brand's request names the brand
        data["name"] = "Uploadbrand"
    for field_name in form.file_fields:
        data[field_name] = SimpleUploadedFile(name, content)
    return client.post(form.hx_post or form.action, data)


def looks_refused(response) -> bool:
    body = read(response).decode(errors="replace")
    if response.status_code in (400, 413, 415, 422):
        return True
    return response.status_code == 200 and any(
        mark in body for mark in ("alert-error", "field-error", "errorlist", "errornote")
    )


def test_it_finds_the_upload_forms_of_documents_catalog_and_sales(users):
    targets = [form.hx_post or form.action for _, form in discover_upload_forms(users)]
    assert any("document" in t for t in targets), targets
    assert any("import" in t for t in targets), targets
    assert any(t.startswith("/admin/") for t in targets), targets


def test_row_07_it_refuses_disguised_files_on_every_upload_page(users, settings):
    problems = []
    forms = discover_upload_forms(users)
    assert forms
    for key, form in forms:
        client = Client()
        client.raise_request_exception = False
        client.force_login(users[key])
        target = form.hx_post or form.action
        kind = route_kind(target, form.fields)
        for name, content, refused_by in DISGUISES:
            if kind not in refused_by:
                continue
            before, files = db_state(), media_files(settings.MEDIA_ROOT)
            response = post_form(client, form, name, content)
            where = f"{key} POST {target} {name} ({content[:8]!r})"
            if not looks_refused(response):
                problems.append(f"{where}: {response.status_code}, no error shown")
            changes = db_diff(before, db_state())
            if changes:
                problems.append(f"{where} stored something: {changes}")
            if media_files(settings.MEDIA_ROOT) - files:
                problems.append(f"{where} left a file behind")
        # Control: the same form takes a genuine file, so the refusals were about content.
        before = db_state()
        name, content = genuine_file(kind, target)
        response = post_form(client, form, name, content)
        read(response)
        if not db_diff(before, db_state()):
            problems.append(f"{key} POST {target}: a genuine {name} was not accepted either")
    assert not problems, "\n".join(problems)


def _multipart_operations(client: Client) -> list[tuple[str, dict]]:
    schema = client.get("/api/schema/?format=json").json()
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            body = content.get("multipart/form-data")
            if method == "post" and body:
                ref = body["schema"].get("$ref", "")
                component = body["schema"]
                if ref:
                    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
                binary = [
                    n
                    for n, p in component.get("properties", {}).items()
                    if p.get("format") == "binary"
                ]
                if binary:
                    found.append((path, component))
    return found


def test_row_07_it_refuses_disguised_files_on_every_api_upload(users, settings):
    from tests.sellers.factories import api_token

    anonymous = Client()
    operations = _multipart_operations(anonymous)
    components = anonymous.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert any("documents" in p for p, _ in operations), operations
    assert any("imports" in p for p, _ in operations), operations
    problems = []
    for path, component in operations:
        if "{" in path:
            continue
        user = users["draft"] if "document" in path else users["approved"]
        token = api_token(user)
        client = Client(headers={"Authorization": f"Token {token}"})
        client.raise_request_exception = False
        fields, file_fields = {}, []
        for name, prop in component.get("properties", {}).items():
            refs = [prop.get("$ref", "")] + [p.get("$ref", "") for p in prop.get("allOf", [])]
            for ref in filter(None, refs):
                prop = {**prop, **components[ref.rsplit("/", 1)[1]]}
            if prop.get("format") == "binary":
                file_fields.append(name)
            elif "enum" in prop:
                fields[name] = prop["enum"][0]
            elif name == "expires_on":
                fields[name] = "2030-12-31"
            elif name == "name":  # a brand's request names the brand
                fields[name] = "Uploadbrand"
        kind = route_kind(path, fields)

        def send(
            name: str,
            content: bytes,
            fields=fields,
            file_fields=file_fields,
            client=client,
            path=path,
        ):
            data = dict(fields)
            for field_name in file_fields:
                data[field_name] = SimpleUploadedFile(name, content)
            return client.post(path, data)

        for name, content, refused_by in DISGUISES:
            if kind not in refused_by:
                continue
            before, files = db_state(), media_files(settings.MEDIA_ROOT)
            response = send(name, content)
            where = f"POST {path} {name} ({content[:8]!r})"
            body = read(response)
            if response.status_code != 400:
                problems.append(f"{where}: {response.status_code} {body[:200]!r}")
            changes = db_diff(before, db_state())
            if changes:
                problems.append(f"{where} stored something: {changes}")
            if media_files(settings.MEDIA_ROOT) - files:
                problems.append(f"{where} left a file behind")
        before = db_state()
        response = send(*genuine_file(kind, path))
        if response.status_code >= 300 or not db_diff(before, db_state()):
            problems.append(
                f"POST {path}: a genuine file got {response.status_code} {read(response)[:300]!r}"
            )
    assert not problems, "\n".join(problems)
