"""The pages load Bootstrap trimmed to the classes they use (bootstrap.used.min.css, `make trim-css`): every Bootstrap
class a template names is in it, so a page never loses a style because the trimmed file is stale."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "bootstrap"


def _classes_in_templates() -> set[str]:
    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for attribute in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", attribute)
            found.update(token for token in literal.split() if re.fullmatch(r"[a-z][a-z0-9-]*", token))
    return found


def _defines(css: str, name: str) -> bool:
    return re.search(r"\." + re.escape(name) + r"(?![\w-])", css) is not None


def test_every_bootstrap_class_a_template_uses_is_in_the_trimmed_file():
    full = (VENDOR / "bootstrap.min.css").read_text(encoding="utf-8")
    trimmed = (VENDOR / "bootstrap.used.min.css").read_text(encoding="utf-8")
    used = {name for name in _classes_in_templates() if _defines(full, name)}
    assert len(used) > 100
    assert sorted(name for name in used if not _defines(trimmed, name)) == [], "run `make trim-css`"
    assert len(trimmed) < len(full) / 2


def test_the_pages_and_the_offline_shell_load_the_trimmed_file():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "vendor/bootstrap/bootstrap.used.min.css" in base and "bootstrap.min.css" not in base
    assert "vendor/bootstrap/bootstrap.used.min.css" in (ROOT / "core" / "pwa.py").read_text(encoding="utf-8")
