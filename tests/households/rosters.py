"""Roster files for the import tests, built in memory."""

import csv
import datetime as dt
import io

from openpyxl import Workbook

from households.idnumbers import make_id_number
from households.imports import COLUMNS

HEADERS = [header for _key, header, _required in COLUMNS]


def person(n: int, *, village="桃源村", grid="第一网格", house=None, relation=None, **overrides) -> dict:
    """Row ``n`` of a roster: households of three people each, valid unless overridden."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=n // 3)
    row = {
        "村（社区）": village, "网格": grid, "住址": f"{village}一组", "门牌号": house or f"一组{n // 3 + 1:02d}号",
        "姓名": f"测试{n:03d}", "与户主关系": relation or ("户主" if n % 3 == 0 else "子女"),
        "身份证号": make_id_number("510723", birth, n % 900 + 1, n % 2 == 0), "联系电话": f"139{n:08d}",
        "人员状态": "在家", "居住类型": "常住", "特殊群体": "", "备注": "",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows: list[dict], headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict], headers=HEADERS, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue().encode(encoding)
