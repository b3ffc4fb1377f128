#!/usr/bin/env python3
"""Fill empty msgstr entries of the zh_Hans catalogue from a JSON object {msgid: msgstr}; list what is left.

    python scripts/po_fill.py translations.json     # fill, then print the msgids still untranslated
    python scripts/po_fill.py --missing             # only print them

The catalogue is written by ``make messages`` with --no-wrap, so every msgid sits on one line.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def unquote(s: str) -> str:
    return json.loads(f'"{s}"')


def quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)[1:-1]


def main() -> None:
    text = PO.read_text(encoding="utf-8")
    mapping = {} if sys.argv[1:] == ["--missing"] else json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    blocks = text.split("\n\n")
    missing = []
    for i, block in enumerate(blocks[1:], start=1):
        if re.search(r"^#, fuzzy", block, re.M):
            # A fuzzy entry is msgmerge's guess from a similar msgid: never trust it, translate it afresh.
            block = block.replace("#, fuzzy\n", "").replace("#, fuzzy, python-format\n", "#, python-format\n")
            block = re.sub(r"^#\| .*\n", "", block, flags=re.M)
            block = re.sub(r'^msgstr(\[\d+\])? ".*"$', lambda m: f'msgstr{m.group(1) or ""} ""', block, flags=re.M)
        plural = re.search(r'^msgid "(.*)"\nmsgid_plural ".*"\nmsgstr\[0\] ""$', block, re.M)
        if plural:
            msgid = unquote(plural.group(1))
            if msgid in mapping:  # Chinese has one plural form
                block = block[: plural.end() - 2] + f'"{quote(mapping[msgid])}"' + block[plural.end():]
            else:
                missing.append(msgid)
            blocks[i] = block
            continue
        m = re.search(r'^msgid "(.*)"\nmsgstr ""$', block, re.M)
        if m and m.group(1):
            msgid = unquote(m.group(1))
            if msgid in mapping:
                block = block[: m.start()] + f'msgid "{m.group(1)}"\nmsgstr "{quote(mapping[msgid])}"' + block[m.end():]
            else:
                missing.append(msgid)
        blocks[i] = block
    PO.write_text("\n\n".join(blocks), encoding="utf-8")
    for msgid in missing:
        print(msgid)


if __name__ == "__main__":
    main()
