"""Roster import: check the file, read its rows, validate every row, preview, then commit all or nothing.

    check_upload(file)              refuse what is not a plain .xlsx or .csv (macros, zip bombs, > 10 MB)
    read_rows(path, name)           [(row number, {key: text})] from the first sheet, by the Chinese headers
    validate(rows, township, user)  Validation: problems (row, column, message), warnings, the plan of writes
    commit(roster_import, ...)      one transaction: households and residents created, or nothing at all

Each row is a person. Rows with the same village, grid, address and house number are one household; a household
that already exists with those four is reused, and a person whose ID number is already registered in that very
household is skipped. So importing the same file again creates nothing new.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException
from simple_history.utils import bulk_create_with_history

from core.masking import mask_id_number, mask_phone
from core.normalise import normalize_code
from governance.models import Grid, Village

from . import idnumbers
from .models import Household, Resident, RosterImport, Tag
from .permissions import visible_tags
from .phones import MOBILE, normalize_phone, validate_phone
from .summary import refresh_summary

BATCH = 2000
# (key, header in the template, required). The headers are the file format: Chinese in every UI language.
COLUMNS = [
    ("village", "村（社区）", True),
    ("grid", "网格", True),
    ("address", "住址", True),
    ("house_number", "门牌号", False),
    ("name", "姓名", True),
    ("relation", "与户主关系", True),
    ("id_number", "身份证号", True),
    ("phone", "联系电话", False),
    ("status", "人员状态", False),
    ("residence_type", "居住类型", False),
    ("tags", "特殊群体", False),
    ("notes", "备注", False),
]
HEADERS = {key: header for key, header, _required in COLUMNS}
# Columns Excel must keep as text (the template formats them "@"): an 18-digit ID number stored as a number keeps only
# 15 significant digits, a landline loses its leading 0.
NUMBER_COLUMNS = ("id_number", "phone")
TEXT_COLUMNS = tuple(i for i, (key, _h, _r) in enumerate(COLUMNS) if key in NUMBER_COLUMNS)
# What the registry holds (Resident.name, Household.address and house_number): longer is a row error, never cut.
MAX_LENGTHS = {
    "name": Resident._meta.get_field("name").max_length,
    "address": Household._meta.get_field("address").max_length,
    "house_number": Household._meta.get_field("house_number").max_length,
}
SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]*)?E[+-]?[0-9]+$", re.IGNORECASE)
REQUIRED = [key for key, _header, required in COLUMNS if required]
EXAMPLE = {
    "village": "桃源村", "grid": "第一网格", "address": "桃源村一组", "house_number": "一组01号", "name": "张伟",
    "relation": "户主", "id_number": "510723197005170012", "phone": "13812345678", "status": "在家",
    "residence_type": "常住", "tags": "退役军人", "notes": "",
}
TAG_SEPARATORS = ("；", ";", "、", ",", "，", "/")
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
# What the readers raise on a file they cannot read (each seen on a real bad file, see test_import_robustness.py):
# a damaged zip or deflate stream, a part the workbook names but lacks, malformed sheet XML (ElementTree's
# ParseError; with defusedxml installed, openpyxl refuses a DTD with entities as a ValueError), text in a number
# cell (ValueError), a workbook without sheets (IndexError), a CSV cell over the csv module's field limit.
UNREADABLE = (
    zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, ValueError, TypeError, SyntaxError, csv.Error,
    InvalidFileException,
)


class ImportRefused(ValidationError):
    """The file itself is refused (not its rows)."""


# --- The file -------------------------------------------------------------------------------------------


def check_upload(upload) -> None:
    """Only plain .xlsx and .csv under the size limit; macros, zip bombs and disguised files are refused."""
    name = (upload.name or "").lower()
    limit_mb = settings.HOUSEHOLDS_IMPORT_MAX_MB
    if name.endswith(".xlsm"):
        raise ImportRefused(_("Files with macros (.xlsm) are not accepted. Save the roster as .xlsx."))
    if not name.endswith((".xlsx", ".csv")):
        raise ImportRefused(_("Only .xlsx or .csv files can be imported."))
    if upload.size > limit_mb * 1024 * 1024:
        raise ImportRefused(_("The file is larger than %(mb)s MB. Split it into smaller files.") % {"mb": limit_mb})
    upload.seek(0)
    if name.endswith(".xlsx"):
        _check_xlsx(upload)
    else:
        head = upload.read(8192)
        if b"\x00" in head:
            raise ImportRefused(_("This is not a spreadsheet. Use the template (.xlsx or .csv)."))
    upload.seek(0)


def _check_xlsx(upload) -> None:
    not_spreadsheet = ImportRefused(_("This is not a spreadsheet. Use the template (.xlsx or .csv)."))
    if not zipfile.is_zipfile(upload):
        raise not_spreadsheet
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise not_spreadsheet
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ImportRefused(_("Files with macros (.xlsm) are not accepted. Save the roster as .xlsx."))
            total = sum(m.file_size for m in members)
            ratios = (m.file_size / max(m.compress_size, 1) for m in members)
            if total > MAX_UNCOMPRESSED or any(r > MAX_RATIO for r in ratios):
                raise ImportRefused(_("The file expands to far more than its size (a “zip bomb”) and is refused."))
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if b"macroEnabled" in content_types:
                raise ImportRefused(_("Files with macros (.xlsm) are not accepted. Save the roster as .xlsx."))
    except zipfile.BadZipFile:
        raise not_spreadsheet from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell_text(key: str, value) -> str:
    """A cell as text. An ID number or phone that the spreadsheet stored as a number is written the way Excel shows
    it (scientific notation), so validation refuses it rather than read back a different number; a mobile number
    stored as a number is exact (11 digits) and kept."""
    if key in NUMBER_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool):
        exact = isinstance(value, int) or value.is_integer()
        if key == "phone" and exact and MOBILE.match(str(int(value))):
            return str(int(value))
        return f"{float(value):.14E}"
    return _text(value)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("The CSV file is neither UTF-8 nor GBK text."))


def _raw_rows(path: Path) -> Iterator[list]:
    if path.suffix.lower() == ".csv":
        text = _decode(path.read_bytes())
        if "\x00" in text:  # the csv module reads it, but PostgreSQL cannot store it in the rows (jsonb)
            raise ImportRefused(_unreadable())
        yield from csv.reader(io.StringIO(text))
        return
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows as (row number in the file, {key: text}); the first row holds the headers; blank rows are left out.

    A file the readers cannot parse, or one with more than ROSTER_MAX_ROWS rows, is refused (ImportRefused)."""
    try:
        return _read_rows(Path(path))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise ImportRefused(_("A cell of the CSV file holds more than %(n)s characters; this is not a roster.")
                                % {"n": f"{csv.field_size_limit():,}"}) from None
        raise ImportRefused(_unreadable()) from None
    except UNREADABLE:
        raise ImportRefused(_unreadable()) from None


def _unreadable() -> str:
    return _("The file could not be read: it is damaged or not a roster made from the template. Open it in Excel "
             "or WPS, save it again as .xlsx, and upload it again.")


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with contextlib.closing(_raw_rows(path)) as rows:  # closes the workbook when reading stops early
        return _read_open_rows(rows)


def _read_open_rows(rows: Iterator[list]) -> list[tuple[int, dict[str, str]]]:
    header = next(rows, None)
    if header is None:
        raise ImportRefused(_("The file is empty."))
    by_header = {header_text: key for key, header_text, _req in COLUMNS}
    positions = {}
    for index, cell in enumerate(header):
        key = by_header.get(_text(cell))
        if key:
            positions[key] = index
    missing = [HEADERS[k] for k in REQUIRED if k not in positions]
    if missing:
        raise ImportRefused(
            _("The file lacks the columns %(columns)s. Download the template and keep its headers.")
            % {"columns": "、".join(missing)}
        )
    result = []
    limit = settings.ROSTER_MAX_ROWS
    for number, raw in enumerate(rows, start=2):
        values = {key: _cell_text(key, raw[i]) if i < len(raw) else "" for key, i in positions.items()}
        if any(values.values()):
            if len(result) == limit:  # stop reading: the rest of a huge file is never held in memory
                raise ImportRefused(_("The file has more than %(n)s rows. Split it into files of at most %(n)s rows "
                                      "each.") % {"n": limit})
            result.append((number, values))
    return result


# --- Validation -----------------------------------------------------------------------------------------


def _label_map(choices) -> dict[str, str]:
    """Accept a choice by its value, its English label or its Chinese label."""
    mapping = {}
    for value, label in choices:
        mapping[value] = value
        mapping[str(label).lower()] = value
        with translation.override("zh-hans"):
            mapping[str(label)] = value
    return mapping


# Short forms people write in rosters.
EXTRA_LABELS = {
    "relation": {"本人": "head", "妻": "spouse", "夫": "spouse", "妻子": "spouse", "丈夫": "spouse", "子": "child",
                 "女": "child", "儿子": "child", "女儿": "child", "父亲": "parent", "母亲": "parent", "孙子": "grandchild",
                 "孙女": "grandchild", "儿媳": "child_in_law", "女婿": "child_in_law"},
    "residence_type": {"常住": "permanent", "流动": "floating", "空挂": "nominal"},
    "status": {"外出": "migrant_worker", "务工": "migrant_worker", "在读": "student", "上学": "student"},
}


@dataclass
class Problem:
    row: int
    column: str
    message: str
    # Whose row it is and what the cell held, so that the person correcting the file finds it (ID numbers and phones
    # masked as everywhere else).
    name: str = ""
    value: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "name": self.name,
                "value": self.value}


def _shown(key: str, value) -> str:
    text = str(value or "")
    if key == "id_number":
        return mask_id_number(text)
    if key == "phone":
        return mask_phone(text)
    return text[:40] + ("…" if len(text) > 40 else "")


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Rows (by number) that are fine but already registered in the same household: skipped on commit.
    skipped: set[int] = field(default_factory=set)
    # Row number -> the cleaned values of the rows that will be written.
    clean: dict[int, dict] = field(default_factory=dict)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})


class _Context:
    """What validation looks up, loaded once for the whole file."""

    def __init__(self, rows, township, user):
        self.township = township
        self.villages = {v.name: v for v in Village.objects.visible_to(user).filter(township=township)}
        grids = Grid.objects.visible_to(user).active().filter(village__in=self.villages.values())
        self.grids = {(g.village_id, g.name): g for g in grids}
        self.tags = {}
        for tag in visible_tags(user):
            self.tags[tag.name] = tag
            self.tags[tag.code] = tag
        self.choices = {
            "relation": {**_label_map(Resident.Relation.choices), **EXTRA_LABELS["relation"]},
            "status": {**_label_map(Resident.Status.choices), **EXTRA_LABELS["status"]},
            "residence_type": {**_label_map(Household.ResidenceType.choices), **EXTRA_LABELS["residence_type"]},
        }
        numbers = {idnumbers.normalize(values.get("id_number", "")) for _n, values in rows}
        self.existing = {}  # id number -> (household key, resident name, household pk)
        numbers = [n for n in numbers if n]
        for start in range(0, len(numbers), 5000):
            found = Resident.objects.filter(township=township, id_number__in=numbers[start:start + 5000]).values_list(
                "id_number", "name", "household_id", "household__grid_id", "household__address",
                "household__house_number",
            )
            for number, name, household_id, grid_id, address, house_number in found:
                self.existing[number] = ((grid_id, address, house_number), name, household_id)
        self.visible_residents = set(
            Resident.objects.visible_to(user).filter(township=township, id_number__in=list(self.existing))
            .values_list("id_number", flat=True)
        ) if self.existing else set()


def validate(rows, *, township, user, progress: Callable[[int], None] | None = None) -> Validation:
    """Check every row; nothing is written. Messages are in the active language (Chinese by default)."""
    ctx = _Context(rows, township, user)
    result = Validation()
    seen: dict[str, int] = {}
    for index, (number, values) in enumerate(rows, start=1):
        _validate_row(number, values, ctx, seen, result)
        if progress and index % 500 == 0:
            progress(index)
    return result


def _validate_row(number: int, values: dict, ctx: _Context, seen: dict, result: Validation) -> None:
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(number, HEADERS[key], message, str(values.get("name") or "")[:40],
                                _shown(key, values.get(key))))

    for key in REQUIRED:
        if not values.get(key):
            problem(key, _("This field is required."))
    village = ctx.villages.get(values.get("village", ""))
    grid = None
    if values.get("village") and village is None:
        problem("village", _("Unknown village “%(name)s” (or not yours).") % {"name": values["village"]})
    elif village is not None and values.get("grid"):
        grid = ctx.grids.get((village.pk, values["grid"]))
        if grid is None:
            problem("grid", _("Unknown grid “%(name)s” in %(village)s.") % {"name": values["grid"],
                                                                          "village": village.name})
    for long_key, limit in MAX_LENGTHS.items():
        if len(values.get(long_key, "")) > limit:
            problem(long_key, _("Too long: %(length)s characters, at most %(limit)s.")
                    % {"length": len(values[long_key]), "limit": limit})
    clean = {"grid": grid, "address": values.get("address", ""), "house_number": values.get("house_number", ""),
             "name": values.get("name", ""), "notes": values.get("notes", "")}
    key = (grid.pk if grid else None, clean["address"], clean["house_number"])
    info = None
    if _stored_as_number(values.get("id_number", "")):
        problem("id_number", _("Excel stored this ID number as a number and its last digits are lost: format the ID "
                               "number column as text and type the numbers again."))
    elif values.get("id_number"):
        try:
            info = idnumbers.parse(values["id_number"])
        except ValidationError as exc:
            problem("id_number", " ".join(str(m) for m in exc.messages))
    skipped = False
    if info is not None:
        clean.update(id_number=info.value, birth_date=info.birth_date, gender=info.gender)
        if not info.area_known:
            result.warnings.append(Problem(number, HEADERS["id_number"],
                                           _("The area code of this ID number is unknown; please check the number."),
                                           str(values.get("name") or "")[:40], _shown("id_number", info.value)))
        if info.value in seen:
            problem("id_number", _("The same ID number is in row %(row)s.") % {"row": seen[info.value]})
        else:
            seen[info.value] = number
            existing = ctx.existing.get(info.value)
            if existing is not None and existing[0] == key:
                skipped = True
            elif existing is not None:
                if info.value in ctx.visible_residents:
                    problem("id_number", _("Already registered: %(name)s, in another household.")
                            % {"name": existing[1]})
                else:
                    problem("id_number", _("Already registered in the township, outside your area."))
    if _stored_as_number(values.get("phone", "")):
        problem("phone", _("Excel stored this phone number as a number and digits are lost: format the phone "
                           "column as text and type the numbers again."))
    elif values.get("phone"):
        try:
            validate_phone(values["phone"])
            clean["phone"] = normalize_phone(values["phone"])
        except ValidationError as exc:
            problem("phone", " ".join(str(m) for m in exc.messages))
    for choice_key, default in (("relation", None), ("status", "at_home"), ("residence_type", "permanent")):
        raw = values.get(choice_key, "")
        value = ctx.choices[choice_key].get(raw) or ctx.choices[choice_key].get(raw.lower()) if raw else default
        if raw and value is None:
            problem(choice_key, _("Unknown value “%(value)s”.") % {"value": raw})
        clean[choice_key] = value
    clean["tags"] = []
    for name in _split_tags(values.get("tags", "")):
        tag = ctx.tags.get(name)
        if tag is None:
            problem("tags", _("Unknown special group “%(name)s”.") % {"name": name})
        else:
            clean["tags"].append(tag.pk)
    if problems:
        result.problems.extend(problems)
    elif skipped:
        result.skipped.add(number)
    else:
        result.clean[number] = clean


def _stored_as_number(text: str) -> bool:
    """What Excel shows for a long number stored as a number: 5.10723E+17 (or a CSV saved from such a sheet)."""
    return bool(text) and bool(SCIENTIFIC.match(normalize_code(text)))


def _split_tags(text: str) -> list[str]:
    for separator in TAG_SEPARATORS[1:]:
        text = text.replace(separator, TAG_SEPARATORS[0])
    return [t.strip() for t in text.split(TAG_SEPARATORS[0]) if t.strip()]


# --- Preview and commit ---------------------------------------------------------------------------------


def prepare(roster_import: RosterImport, user) -> None:
    """Read the stored file and validate it, saving progress as it goes; the file is deleted afterwards."""
    refused = None
    try:
        rows = read_rows(Path(roster_import.file.path))
    except ImportRefused as exc:
        refused = " ".join(exc.messages)
    finally:
        roster_import.file.delete(save=False)  # before any save, so that the row forgets the file too
    if refused is not None:
        _fail(roster_import, refused)
        return
    roster_import.rows = [[n, v] for n, v in rows]
    roster_import.total_rows = len(rows)
    roster_import.save(update_fields=["rows", "total_rows", "file", "updated_at"])

    def progress(done: int) -> None:
        RosterImport.objects.filter(pk=roster_import.pk).update(processed_rows=done)

    result = validate(rows, township=roster_import.township, user=user, progress=progress)
    _store(roster_import, result)
    roster_import.status = RosterImport.Status.READY
    roster_import.save(update_fields=["problems", "warnings", "bad_rows", "skipped_rows", "processed_rows",
                                      "status", "updated_at"])


def _store(roster_import: RosterImport, result: Validation) -> None:
    roster_import.problems = [p.as_dict() for p in result.problems]
    roster_import.warnings = [p.as_dict() for p in result.warnings]
    roster_import.bad_rows = result.bad_rows
    roster_import.skipped_rows = len(result.skipped)
    roster_import.processed_rows = roster_import.total_rows


def _fail(roster_import: RosterImport, message: str) -> None:
    roster_import.status = RosterImport.Status.FAILED
    roster_import.error = message
    roster_import.save(update_fields=["status", "error", "file", "updated_at"])


class CommitRefused(Exception):
    pass


def commit(roster_import: RosterImport, user, *, only_valid: bool = False) -> RosterImport:
    """Validate again against the database as it is now, then write every valid row in one transaction.

    Without ``only_valid`` a single bad row means nothing is written."""
    rows = [(n, v) for n, v in roster_import.rows]
    try:
        with transaction.atomic():
            result = validate(rows, township=roster_import.township, user=user)
            _store(roster_import, result)
            if result.problems and not only_valid:
                raise CommitRefused
            households, residents = _write(result, user)
    except CommitRefused:
        roster_import.status = RosterImport.Status.READY
        roster_import.save(update_fields=["problems", "warnings", "bad_rows", "skipped_rows", "processed_rows",
                                          "status", "updated_at"])
        raise
    roster_import.status = RosterImport.Status.COMMITTED
    roster_import.only_valid = only_valid
    roster_import.created_households = households
    roster_import.created_residents = residents
    roster_import.committed_at = timezone.now()
    roster_import.rows = []  # the personal data is in the registry now; the import keeps only its report
    roster_import.save()
    return roster_import


def _write(result: Validation, user) -> tuple[int, int]:
    rows = list(result.clean.values())
    grid_ids = {r["grid"].pk for r in rows}
    households = {
        (h.grid_id, h.address, h.house_number): h
        for h in Household.objects.filter(grid_id__in=grid_ids)
    }
    new_households: dict[tuple, Household] = {}
    for r in rows:
        key = (r["grid"].pk, r["address"], r["house_number"])
        if key not in households and key not in new_households:
            new_households[key] = Household(
                grid=r["grid"], address=r["address"], house_number=r["house_number"],
                residence_type=r["residence_type"], head_name=r["name"],
            )
        if r["relation"] == Resident.Relation.HEAD and key in new_households:
            new_households[key].head_name = r["name"]
    if new_households:
        bulk_create_with_history(list(new_households.values()), Household, batch_size=BATCH, default_user=user)
        households.update(new_households)
    residents = []
    for r in rows:
        household = households[(r["grid"].pk, r["address"], r["house_number"])]
        residents.append(Resident(
            household=household, township_id=r["grid"].village.township_id, name=r["name"],
            id_number=r["id_number"], gender=r["gender"], birth_date=r["birth_date"], phone=r.get("phone", ""),
            relation=r["relation"], status=r["status"], notes=r["notes"],
        ))
    bulk_create_with_history(residents, Resident, batch_size=BATCH, default_user=user)
    _write_tags(rows, residents, households)
    refresh_summary({resident.household_id for resident in residents})  # once for the households written in bulk
    return len(new_households), len(residents)


def _write_tags(rows, residents, households) -> None:
    household_tags = set(Tag.objects.filter(applies_to_households=True).values_list("pk", flat=True))
    resident_links, household_links = [], set()
    for r, resident in zip(rows, residents, strict=True):
        for tag_id in r["tags"]:
            if tag_id in household_tags:
                household_links.add((resident.household_id, tag_id))
            else:
                resident_links.append(Resident.tags.through(resident_id=resident.pk, tag_id=tag_id))
    Resident.tags.through.objects.bulk_create(resident_links, batch_size=BATCH)
    Household.tags.through.objects.bulk_create(
        [Household.tags.through(household_id=h, tag_id=t) for h, t in household_links],
        batch_size=BATCH, ignore_conflicts=True,
    )


# --- Reading the stored report a page at a time ---------------------------------------------------------

# The import's large JSON columns: a page showing its status or a page of problems never loads them whole.
STORED_LISTS = ("rows", "problems", "warnings", "bad_rows")


class _JSONLength(models.Func):
    function = "jsonb_array_length"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra):  # make run
        return self.as_sql(compiler, connection, function="json_array_length", **extra)


class _JSONSlice(models.Func):
    """Items [start, stop) of a JSON array column, cut by PostgreSQL (jsonpath) so that only they travel."""

    template = "jsonb_path_query_array(%(expressions)s::jsonpath)"
    output_field = models.JSONField()

    def __init__(self, column: str, start: int, stop: int):
        super().__init__(models.F(column), models.Value(f"$[{start} to {stop - 1}]"))


def stored_counts(pk: int) -> dict[str, int]:
    """{"problems": n, "warnings": n, "bad_rows": n} of an import, counted in the database."""
    names = ("problems", "warnings", "bad_rows")
    counts = RosterImport.objects.filter(pk=pk).values_list(*(_JSONLength(n) for n in names)).get()
    return dict(zip(names, counts, strict=True))


def stored_slice(pk: int, column: str, start: int, stop: int) -> list:
    """Items [start, stop) of one of the import's stored lists."""
    if stop <= start:
        return []
    imports = RosterImport.objects.filter(pk=pk)
    if connection.vendor != "postgresql":  # SQLite of make run: the whole list, cut here
        return imports.values_list(column, flat=True).get()[start:stop]
    return imports.values_list(_JSONSlice(column, start, stop), flat=True).get()


def template_rows() -> tuple[list[str], list[list[str]]]:
    return [header for _k, header, _r in COLUMNS], [[EXAMPLE[k] for k, _h, _r in COLUMNS]]
