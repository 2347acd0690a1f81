"""Translations: every string the brand manager sees is in Chinese, the admin labels in Russian."""

import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def po_entries(language: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file; the header is left out. An entry
    with a context is keyed as gettext keys it: "context\x04msgid"."""
    entries: list[tuple[str, list[str], bool]] = []
    msgid: str | None = None
    context: str | None = None
    strs: list[str] = []
    fuzzy = False
    current: str | None = None
    plural_ids: set[str] = set()
    path = LOCALE / language / "LC_MESSAGES" / "django.po"

    def flush() -> None:
        if msgid:  # the header has an empty msgid
            key = f"{context}\x04{msgid}" if context is not None else msgid
            entries.append((key, strs, fuzzy))

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            msgid, context, strs, fuzzy, current = None, None, [], False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#~"):
            continue
        elif line.startswith("msgctxt "):
            context, current = ast.literal_eval(line[8:]), "context"
        elif line.startswith("msgid "):
            msgid, current = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgid_plural "):
            current = "plural"
            plural_ids.add(msgid or "")
        elif line.startswith("msgstr"):
            strs.append(ast.literal_eval(line.split(" ", 1)[1]))
            current = "str"
        elif line.startswith('"'):
            if current == "id":
                msgid = (msgid or "") + ast.literal_eval(line)
            elif current == "context":
                context = (context or "") + ast.literal_eval(line)
            elif current == "str":
                strs[-1] += ast.literal_eval(line)
    PLURALS.update(plural_ids)
    return entries


PLURALS: set[str] = set()


@pytest.mark.parametrize("language", ["zh_Hans", "ru"])
def test_it_translates_every_string(language):
    entries = po_entries(language)
    assert len(entries) > 500
    missing = [msgid for msgid, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert missing == []


def test_it_has_uzbek_translations_for_most_strings():
    entries = po_entries("uz")
    done = [msgid for msgid, strs, fuzzy in entries if not fuzzy and all(strs)]
    assert len(done) / len(entries) > 0.9


@pytest.mark.parametrize("language", ["zh_Hans", "ru", "uz"])
def test_it_ships_compiled_catalogs_in_step_with_the_sources(language):
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    catalog = gettext.GNUTranslations(mo.open("rb"))._catalog  # type: ignore[attr-defined]
    for msgid, strs, fuzzy in po_entries(language):
        if fuzzy or not all(strs):
            continue
        key = (msgid, 0) if msgid in PLURALS else msgid
        assert key in catalog, f"{msgid!r} is missing from {mo}: run compilemessages"


@pytest.mark.parametrize(
    ("language", "english"),
    [
        ("zh-hans", "Log in"),
        ("zh-hans", "Dashboard"),
        ("zh-hans", "Import your catalog"),
        ("ru", "Sellers"),
        ("ru", "Approve"),
        ("uz", "Log in"),
    ],
)
def test_it_renders_key_strings_in_the_language(language, english):
    from django.utils.translation import gettext

    with translation.override(language):
        assert gettext(english) != english


def test_it_shows_the_landing_page_in_chinese(client):
    html = client.get("/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "Bring your brand to Uzbekistan" not in html
    assert "乌兹别克斯坦" in html
