"""Imports go one way (docs/architecture.md): core ← governance ← casework ← households ← the case types ←
dashboards/api. Read from the source (ast), not by importing it: a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every app of ours: a top-level folder with an apps.py, and the ones the layout names before they exist.
APPS = {path.parent.name for path in ROOT.glob("*/apps.py")} | {
    "core", "governance", "casework", "households", "disputes", "petitions", "hazards", "dashboards", "api",
}

# What each app may not import: core no app of ours, governance none of the apps built on it.
FORBIDDEN = {
    "core": APPS - {"core"},
    "governance": APPS - {"core", "governance"},
    "casework": APPS - {"core", "governance", "casework"},
}

# Imports that break the rule today, as (file, module imported). None: keep it so; a new one fails the test,
# and one that goes away must be taken off this list.
KNOWN_EXCEPTIONS: dict[str, set[tuple[str, str]]] = {"core": set(), "governance": set(), "casework": set()}


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return parts


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a file imports (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                prefix = ".".join(base)
                if node.module:
                    names.add(f"{prefix}.{node.module}" if prefix else node.module)
                else:
                    names.update(f"{prefix}.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
    return names


def violations(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in sorted((ROOT / app).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN[app]:
                found.add((str(path.relative_to(ROOT)), name))
    return found


def test_core_imports_no_app_of_ours():
    assert (ROOT / "core" / "apps.py").exists()
    assert violations("core") == KNOWN_EXCEPTIONS["core"]


def test_governance_imports_no_app_built_on_it():
    assert violations("governance") == KNOWN_EXCEPTIONS["governance"]


def test_casework_imports_only_core_and_governance():
    assert (ROOT / "casework" / "apps.py").exists()
    assert violations("casework") == KNOWN_EXCEPTIONS["casework"]


CASE_TYPES = ("disputes", "petitions", "hazards")


def test_case_types_do_not_import_each_other():
    found = set()
    for app in CASE_TYPES:
        others = set(CASE_TYPES) - {app}
        for path in sorted((ROOT / app).rglob("*.py")):
            found |= {(str(path.relative_to(ROOT)), name) for name in imported_modules(path)
                      if name.split(".")[0] in others}
    assert found == set()


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path, monkeypatch):
    """The parser itself: a lazy import and a relative one out of the package are both found."""
    app = tmp_path / "core"
    (app / "sub").mkdir(parents=True)
    (app / "apps.py").write_text("")
    (app / "sub" / "mod.py").write_text("def f():\n    from households.models import Household\nfrom .. import lists\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert imported_modules(app / "sub" / "mod.py") == {"households.models", "core.lists"}
    assert violations("core") == {("core/sub/mod.py", "households.models")}


def test_one_template_library_named_lht():
    """{% load lht %} finds one library: core's."""
    assert sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/templatetags/lht.py")) == [
        "core/templatetags/lht.py",
    ]


def test_case_types_and_households_do_not_import_the_reports():
    """The monthly reports are composed from the case types (reports ← disputes, petitions), never the reverse."""
    found = set()
    for app in ("households", *CASE_TYPES):
        for path in sorted((ROOT / app).rglob("*.py")):
            found |= {(str(path.relative_to(ROOT)), name) for name in imported_modules(path)
                      if name.split(".")[0] in ("reports", "dashboards")}
    assert found == set()


def test_nothing_below_reception_imports_it():
    """群众接待日 is a module above the case types (reception ← petitions, disputes, households): the apps it is
    built on never import it; only dashboards (which composes its figures) may."""
    found = set()
    for app in ("core", "governance", "casework", "households", *CASE_TYPES, "reports"):
        for path in sorted((ROOT / app).rglob("*.py")):
            found |= {(str(path.relative_to(ROOT)), name) for name in imported_modules(path)
                      if name.split(".")[0] == "reception"}
    assert found == set()
