"""Every gettext call is one makemessages extracts: no gettext function under another name.

makemessages finds strings by the function names xgettext knows (`_`, `gettext`, `gettext_lazy`,
`ngettext`, `pgettext`...). `from django.utils.translation import gettext_lazy as _lazy` hides
every `_lazy("...")` from it, and the string shows in English in every language. The source is
read with `ast`, never imported.
"""

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What makemessages skips too (dot-folders) and what is not ours.
SKIPPED = frozenset({"var", "node_modules", "test-artifacts", "bozor.egg-info", "__pycache__"})
TRANSLATION_MODULES = frozenset({"django.utils.translation", "gettext"})
GETTEXT_FUNCTIONS = frozenset(
    {
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "ngettext",
        "ngettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "npgettext",
        "npgettext_lazy",
    }
)


def project_files() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [n for n in subfolders if n not in SKIPPED and not n.startswith(".")]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def gettext_aliases(source: str) -> list[str]:
    """Each place a gettext function gets a name makemessages does not know, as 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in TRANSLATION_MODULES:
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS and alias.asname not in (None, "_", alias.name):
                    found.append(f"{node.lineno}: {alias.name} imported as {alias.asname}")
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Name | ast.Attribute
        ):
            function = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    function in GETTEXT_FUNCTIONS
                    and isinstance(target, ast.Name)
                    and target.id not in ("_", function)
                ):
                    found.append(f"{node.lineno}: {function} bound to {target.id}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext_lazy as _lazy",
        "from django.utils.translation import gettext as __",
        "from django.utils.translation import ngettext as n_",
        "from django.utils.translation import pgettext_lazy as pl",
        "from django.utils.translation import gettext, gettext_lazy as lazy",
        "from gettext import gettext as t",
        "from django.utils.translation import gettext_lazy\nlazy = gettext_lazy",
        "from django.utils import translation\nt = translation.gettext",
        "from django.utils.translation import gettext\nt: object = gettext",
    ],
)
def test_it_finds_a_gettext_function_under_another_name(source):
    assert gettext_aliases(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext_lazy as _",
        "from django.utils.translation import gettext as _",
        "from django.utils.translation import gettext_lazy, ngettext, pgettext",
        "from django.utils.translation import ngettext_lazy as ngettext_lazy",
        "from django.utils.translation import get_language as language",
        "from django.utils import translation\ntranslation.gettext('x')",
        "from myapp.text import gettext as render",
    ],
)
def test_it_accepts_the_names_makemessages_extracts(source):
    assert gettext_aliases(source) == []


def test_no_project_module_imports_gettext_under_another_name():
    files = project_files()
    assert ROOT / "sellers" / "selectors.py" in files
    found = {
        str(path.relative_to(ROOT)): aliases
        for path in files
        if (aliases := gettext_aliases(path.read_text(encoding="utf-8")))
    }
    assert found == {}
