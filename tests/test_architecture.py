"""The shape of the source: no circle of imports, none hidden inside a function, no long module.

An import inside a function hides a circle of imports or a layer broken the wrong way
(`lint-imports`, run by `make test`, checks the layers and circles of pyproject.toml); where an
app registry or a migration needs one, the import line says why with `# import inside: <reason>`.
Circles are found between modules: a package may import its own submodules' neighbours (catalog's
models and its import pipeline use each other's modules) as long as no module, followed import by
import, comes back to itself. A module over MAX_LINES holds several jobs; split it by concern, or list it in LONG_MODULES
with the reason. The source is read with `ast`, never imported.
"""

import ast
import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = frozenset({"portal", "sellers", "catalog", "insights"})
# Tests, migrations, benchmarks and what is not ours are not "the source" here.
SKIPPED_PARTS = frozenset({"tests", "migrations", "bench", "var", ".venv", ".git", "node_modules"})
REASON_MARK = "# import inside:"
MAX_LINES = 600
# Module (path from the repository root) -> why it may be longer than MAX_LINES.
LONG_MODULES: dict[str, str] = {}


@cache
def source_files() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_PARTS]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def imports_a_project_module(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PROJECT
    return any(alias.name.split(".")[0] in PROJECT for alias in node.names)


def hidden_imports(path: Path, root: Path = ROOT) -> list[str]:
    """`path:line: import` for each project import inside a function that gives no reason."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for function in ast.walk(ast.parse(text, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            statement = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
            if imports_a_project_module(node) and not any(REASON_MARK in s for s in statement):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {statement[0].strip()}")
    # A nested function is walked from its own node and from its parent's: report it once.
    return sorted(set(found))


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_imports(path: Path, modules: frozenset[str], root: Path = ROOT) -> set[str]:
    """The project modules `path` imports when it is imported (module level, not in functions).

    `from a.b import c` is an import of `a.b.c` when that is a module, else of `a.b`. The packages
    above a module, which Python imports first, are no edge of their own.
    """
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in tree.body:
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    found.discard(name)
    return found


def import_cycles(paths: list[Path], root: Path = ROOT) -> list[list[str]]:
    """Each circle of module-level imports once, as the list of modules around it."""
    modules = frozenset(module_name(path, root) for path in paths)
    graph = {module_name(path, root): module_imports(path, modules, root) for path in paths}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                cycle = stack[stack.index(imported) :]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    cycles.append([*cycle, imported])
            elif imported not in state:
                visit(imported)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_it_reads_the_source_of_every_app():
    tops = {path.relative_to(ROOT).parts[0] for path in source_files()}
    assert PROJECT <= tops
    assert not any("migrations" in path.parts for path in source_files())


def test_it_finds_a_hidden_import_and_accepts_one_with_a_reason(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import catalog\n"
        "def f():\n"
        "    from catalog.models import Product\n"
        "    import json\n"
        "    from insights import (  # import inside: the app registry is not ready\n"
        "        services,\n"
        "    )\n"
        "    def g():\n"
        "        from . import sibling\n",
        encoding="utf-8",
    )
    assert hidden_imports(module, root=tmp_path) == [
        "module.py:3: from catalog.models import Product",
        "module.py:9: from . import sibling",
    ]


def test_it_finds_a_circle_of_imports(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from app.b import thing\n", encoding="utf-8")
    (package / "b.py").write_text("from . import c\n", encoding="utf-8")
    (package / "c.py").write_text("import app.a\n", encoding="utf-8")
    (package / "d.py").write_text(
        "from app import a\ndef f():\n    import app.d\n", encoding="utf-8"
    )
    paths = sorted(package.glob("*.py"))
    assert import_cycles(paths, root=tmp_path) == [["app.a", "app.b", "app.c", "app.a"]]


def test_it_has_no_circle_of_imports():
    cycles = import_cycles(source_files())
    assert not cycles, "circles of imports (move the shared piece down a floor):\n" + "\n".join(
        " -> ".join(cycle) for cycle in cycles
    )


def test_it_hides_no_project_import_inside_a_function():
    found = [line for path in source_files() for line in hidden_imports(path)]
    assert not found, (
        "project imports inside functions (move the shared piece down a layer, or say why "
        f"with `{REASON_MARK} <reason>` on the import line):\n" + "\n".join(found)
    )


def test_it_keeps_every_module_under_the_line_limit():
    lengths = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in source_files()
    }
    too_long = {
        name: count
        for name, count in lengths.items()
        if count > MAX_LINES and name not in LONG_MODULES
    }
    assert not too_long, f"modules over {MAX_LINES} lines (split them by concern): {too_long}"


def test_it_allows_only_modules_that_are_still_long():
    stale = [
        name
        for name in LONG_MODULES
        if not (ROOT / name).is_file()
        or len((ROOT / name).read_text(encoding="utf-8").splitlines()) <= MAX_LINES
    ]
    assert not stale, f"LONG_MODULES lists modules that are gone or short now: {stale}"
