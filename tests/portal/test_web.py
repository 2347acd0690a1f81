"""Cross-cutting web behaviour: CSP, frame options, error pages, HTMX login redirects."""

import re

import pytest

pytestmark = pytest.mark.urls("tests.portal.urls_for_tests")


def test_row_29_it_sends_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("style-src")[0]
    assert "object-src 'none'" in policy


def test_it_has_no_inline_scripts_or_style_attributes_on_the_landing_page(client):
    html = client.get("/").content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
        assert "nonce=" in tag, tag
    assert " style=" not in html


def test_row_30_it_forbids_framing(client):
    assert client.get("/")["X-Frame-Options"] == "DENY"


def test_it_gives_every_response_a_request_id(client):
    assert re.fullmatch(r"[0-9a-f]{12}", client.get("/")["X-Request-ID"])


def test_row_28_it_shows_a_generic_error_page_with_a_reference_and_no_detail(client, caplog):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert response["X-Request-ID"] in body
    assert "secret detail" not in body
    assert "SELECT" not in body
    assert "Traceback" not in body
    assert any("secret detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_row_28_it_answers_an_api_error_as_json_with_a_reference(client):
    client.raise_request_exception = False
    response = client.get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side.",
        "reference": response["X-Request-ID"],
    }


def test_it_redirects_an_anonymous_page_request_to_login(client):
    response = client.get("/private/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_row_26_it_turns_an_expired_session_during_htmx_polling_into_hx_redirect(client):
    response = client.get("/private/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert response.content == b""


def test_it_switches_the_interface_language(client):
    response = client.get("/", headers={"Accept-Language": "zh-hans"})
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_it_remembers_the_language_a_signed_in_user_picks(client):
    from sellers.models import User

    user = User.objects.create_user(email="li@example.cn", password="x" * 12)
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"


@pytest.mark.django_db
def test_it_ignores_an_unknown_language(client):
    from sellers.models import User

    user = User.objects.create_user(email="li@example.cn", password="x" * 12)
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.parametrize("path", ["/?q=a%00b", "/api/schema/?x=%00"])
def test_it_refuses_a_nul_character_in_the_query_string(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content
