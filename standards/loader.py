"""Loading a standard's mapping file into the tables. Idempotent: a second load changes nothing; a row edited in the
admin is kept unless ``replace`` is asked for (a new version of the file)."""

from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
GBT31000 = "GB/T 31000-2015"
GBT31000_FILE = DATA_DIR / "gbt31000-2015.json"


def read(path: Path = GBT31000_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load(data_element, code_value, *, path: Path = GBT31000_FILE, replace: bool = False) -> tuple[int, int]:
    """Fill the tables (model classes passed in, so a migration can call it). Returns (elements, codes) written."""
    spec = read(path)
    standard = spec["standard"]
    elements = codes = 0
    for dataset, body in spec["datasets"].items():
        for position, element in enumerate(body["elements"], start=1):
            values = {"name": element["name"], "source": element["source"], "code_table": element.get("code", ""),
                      "required": bool(element.get("required")), "sensitive": element.get("sensitive", "")}
            keys = {"standard": standard, "dataset": dataset, "position": position}
            if replace:
                data_element.objects.update_or_create(**keys, defaults=values)
                elements += 1
            elif data_element.objects.get_or_create(**keys, defaults=values)[1]:
                elements += 1
    for table, body in spec["code_tables"].items():
        for our_value, (code, label) in body["values"].items():
            values = {"code": code, "label": label, "table_title": body["title"]}
            keys = {"standard": standard, "table": table, "our_value": our_value}
            if replace:
                code_value.objects.update_or_create(**keys, defaults=values)
                codes += 1
            elif code_value.objects.get_or_create(**keys, defaults=values)[1]:
                codes += 1
    return elements, codes
