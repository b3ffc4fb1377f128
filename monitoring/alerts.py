"""Department alert lists (部门筛查预警): 医保, 民政, 教育, 住建 and 应急 send the township lists of people at risk; the
village verifies them. Imported like the roster (households/imports.py), in three steps:

    read_upload(upload)           [(row number, {key: text})] by the Chinese headers (the same file checks as the roster)
    check_rows(rows, user=)       what each row would do: a new lead, already in an open episode, or an error
    alert_commit(alert_import)    all or nothing: the leads, for the village cadres (told in their inbox)

Each row is matched to a resident of the user's area by ID number (and name), and so to a household. A household with an
open episode is reported, not doubled; two rows of one household make one lead. A list with any error imports nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households import idnumbers
from households.imports import UNREADABLE, ImportRefused, check_upload
from households.models import Resident

from .models import AlertImport, MonitoringCase, RiskKind

# (key, header, required). The headers are the file format: Chinese in every UI language.
COLUMNS = [("name", "姓名", True), ("id_number", "身份证号", True), ("risk", "风险类型", False),
           ("note", "预警内容", False)]
RISK_SEPARATORS = ("；", ";", "、", ",", "，", "/")
MAX_ROWS = 2000


@dataclass
class Row:
    row: int
    name: str
    id: str = ""  # masked
    household: int | None = None
    household_label: str = ""
    outcome: str = "new"  # new | merged | open | error
    message: str = ""
    kinds: list[str] = field(default_factory=list)
    risk: str = ""  # as written in the file
    note: str = ""
    case: str = ""


# --- The file -------------------------------------------------------------------------------------------


def read_upload(upload) -> list[tuple[int, dict[str, str]]]:
    check_upload(upload)
    try:
        raw = list(_raw_rows(upload))
    except UNREADABLE:
        raise ImportRefused(_("The file could not be read. Open it in Excel or WPS, save it again as .xlsx, and "
                              "upload it again.")) from None
    if not raw:
        raise ImportRefused(_("The file is empty."))
    positions = {key: i for i, cell in enumerate(raw[0]) for key, header, _r in COLUMNS if _text(cell) == header}
    missing = [header for key, header, required in COLUMNS if required and key not in positions]
    if missing:
        raise ImportRefused(_("The file lacks the columns %(columns)s. Download the template and keep its headers.")
                            % {"columns": "、".join(missing)})
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        values = {key: _text(cells[i]) if i < len(cells) else "" for key, i in positions.items()}
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise ImportRefused(_("The file has more than %(n)s rows. Split it into files of at most %(n)s rows each.")
                            % {"n": MAX_ROWS})
    return rows


def _raw_rows(upload):
    upload.seek(0)
    if upload.name.lower().endswith(".csv"):
        data = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return csv.reader(io.StringIO(data.decode(encoding)))
            except UnicodeDecodeError:
                continue
        raise ImportRefused(_("The CSV file is neither UTF-8 nor GBK text."))
    from openpyxl import load_workbook

    workbook = load_workbook(upload, read_only=True, data_only=True)
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def template_rows() -> tuple[list[str], list[list[str]]]:
    return [header for _k, header, _r in COLUMNS], [["张伟", "510723197005170014", "因病", "年度自付医疗费用超过2万元"]]


# --- The rows -------------------------------------------------------------------------------------------


def check_rows(rows, *, user) -> list[Row]:
    """What each row would do, for ``user``'s area; nothing is written."""
    numbers = {idnumbers.normalize(values.get("id_number", "")) for _n, values in rows}
    residents = {r.id_number: r for r in Resident.objects.visible_to(user).filter(id_number__in=numbers)
                 .select_related("household__grid__village")}
    open_cases = dict(MonitoringCase.objects.filter(household__in={r.household_id for r in residents.values()})
                      .open().values_list("household", "number"))
    kinds = {k.name: k.code for k in RiskKind.objects.filter(active=True)}
    first_row_of = {}
    return [_check(number, values, residents, open_cases, kinds, first_row_of) for number, values in rows]


def _check(number, values, residents, open_cases, kinds, first_row_of) -> Row:
    name = values.get("name", "")
    raw_id = idnumbers.normalize(values.get("id_number", ""))
    row = Row(row=number, name=name or "—", id=idnumbers.mask_id_number(raw_id) if len(raw_id) == 18 else raw_id,
              risk=values.get("risk", ""), note=values.get("note", ""))

    def refuse(message):
        row.outcome, row.message = "error", message
        return row

    if not name:
        return refuse(_("The name is missing."))
    if not raw_id:
        return refuse(_("%(name)s: the ID number is missing.") % {"name": name})
    try:
        idnumbers.parse(raw_id)
    except ValidationError as exc:
        return refuse(_("%(name)s: the ID number %(value)s is not valid: %(reason)s")
                      % {"name": name, "value": row.id, "reason": " ".join(exc.messages)})
    resident = residents.get(raw_id)
    if resident is None:
        return refuse(_("%(name)s: no resident with the ID number %(value)s is registered in your area.")
                      % {"name": name, "value": row.id})
    if resident.name != name:
        return refuse(_("%(name)s: the ID number %(value)s is registered to %(registered)s.")
                      % {"name": name, "value": row.id, "registered": resident.name})
    for word in _split(values.get("risk", "")):
        if word not in kinds:
            return refuse(_("%(name)s: unknown risk type “%(value)s” (use %(known)s).")
                          % {"name": name, "value": word, "known": "、".join(kinds)})
        row.kinds.append(kinds[word])
    household = resident.household
    row.household, row.household_label = household.pk, f"{household.grid.village.name} {household.head_name}"
    if household.pk in open_cases:
        row.outcome, row.case = "open", open_cases[household.pk]
        row.message = _("%(name)s: the household already has an open case %(number)s; it is not doubled.") % {
            "name": name, "number": row.case}
    elif household.pk in first_row_of:
        row.outcome = "merged"
        row.message = _("%(name)s: same household as row %(row)d, one lead for both.") % {
            "name": name, "row": first_row_of[household.pk]}
    else:
        first_row_of[household.pk] = number
    return row


def _split(text: str) -> list[str]:
    for separator in RISK_SEPARATORS[1:]:
        text = text.replace(separator, RISK_SEPARATORS[0])
    return [w.strip() for w in text.split(RISK_SEPARATORS[0]) if w.strip()]


@transaction.atomic
def alert_prepare(*, upload, department: str, by) -> AlertImport:
    if not by.township_id:
        raise ImportRefused(_("A department list is imported by the staff of its township."))
    rows = check_rows(read_upload(upload), user=by)
    return AlertImport.objects.create(township_id=by.township_id, department=department, file_name=upload.name[:200],
                                      uploaded_by=by, rows=[asdict(r) for r in rows])


class AlertRefused(Exception):
    pass


@transaction.atomic
def alert_commit(*, alert_import: AlertImport, by) -> AlertImport:
    """The leads of a checked list without errors, all or nothing. A household that has had an episode opened since the
    preview is reported like the others that had one, not doubled."""
    from households.models import Household

    from .services import lead_open_for_village

    alert_import = AlertImport.objects.select_for_update().get(pk=alert_import.pk)
    if alert_import.status != AlertImport.Status.PREVIEW:
        raise AlertRefused(_("This list has already been imported."))
    if alert_import.has_errors:
        raise AlertRefused(_("The list has rows with errors: correct the file and upload it again. Nothing was "
                             "imported."))
    groups = {}
    for row in alert_import.rows:
        if row["outcome"] in ("new", "merged"):
            groups.setdefault(row["household"], []).append(row)
    households = Household.objects.visible_to(by).select_related("grid__village").in_bulk(list(groups))
    if len(households) != len(groups):
        raise AlertRefused(_("Some households of the list are no longer in your area. Upload the list again."))
    open_now = dict(MonitoringCase.objects.filter(household__in=list(groups)).open()
                    .values_list("household", "number"))
    department = alert_import.get_department_display()
    for household_pk, rows in groups.items():
        number = open_now.get(household_pk)
        if number is None:
            text = "；".join(f"{r['name']}：{r['note']}" if r["note"] else r["name"] for r in rows)
            number = lead_open_for_village(
                household=households[household_pk], by=by, source=MonitoringCase.Source.DEPARTMENT,
                kinds=RiskKind.objects.filter(code__in={k for r in rows for k in r["kinds"]}),
                note=f"{timezone.localdate():%Y-%m-%d} {department}预警：{text}",
                department=alert_import.department, alert_import=alert_import).number
        else:
            for r in rows:
                r["outcome"] = "open"
        for r in rows:
            r["case"] = number
    alert_import.status = AlertImport.Status.IMPORTED
    alert_import.imported_at = timezone.now()
    alert_import.save(update_fields=["rows", "status", "imported_at"])
    return alert_import
