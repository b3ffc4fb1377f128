"""A user of the Chinese UI never meets an English word: the zh_Hans catalogue is complete."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _entries(po_text: str):
    for block in po_text.split("\n\n")[1:]:
        if not block.strip() or block.lstrip().startswith("#~"):
            continue
        yield block


def test_the_chinese_catalogue_has_no_empty_or_fuzzy_entry():
    catalogues = list(ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogues, "locale/zh_Hans/LC_MESSAGES/django.po is missing"
    problems = []
    for po in catalogues:
        for block in _entries(po.read_text(encoding="utf-8")):
            if "#, fuzzy" in block or re.search(r'msgstr(\[\d\])? ""\s*$', block.strip()):
                problems.append(block.strip().splitlines()[-2:])
    assert problems == []


def test_every_translatable_string_in_the_code_is_in_the_catalogue():
    """makemessages would add nothing: compare the message ids in the code with the catalogue's."""
    import subprocess
    import tempfile

    po = (ROOT / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    known = set(re.findall(r'^msgid "(.+)"$', po, re.M))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.pot"
        files = [str(p) for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts and "tests" not in p.parts
                 and "migrations" not in p.parts and "var" not in p.parts]
        subprocess.run(["xgettext", "-L", "Python", "--from-code=UTF-8", "-k_", "-kgettext_lazy", "-kgettext",
                        "-kpgettext_lazy:1c,2", "-kngettext_lazy:1,2", "-o", str(out), *files], check=True)
        code_ids = set(re.findall(r'^msgid "(.+)"$', out.read_text(encoding="utf-8"), re.M))
    missing = sorted(code_ids - known)
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"


def test_the_catalogue_compiles_with_matching_placeholders():
    """msgfmt --check: a translation that drops or renames a %(name)s would crash or lie at run time."""
    import subprocess

    po = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
    result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
