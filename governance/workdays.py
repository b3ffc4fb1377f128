"""Working-day arithmetic on the township's calendar: Monday to Friday, less statutory holidays, plus the
调休 make-up workdays, as held in ``CalendarDay`` (seeded from the chinese-calendar package)."""

from __future__ import annotations

import datetime as dt

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


class WorkCalendar:
    """A calendar loaded once (one query) and then asked many questions without touching the database."""

    def __init__(self, exceptions: dict[dt.date, str]):
        self.exceptions = exceptions

    @classmethod
    def load(cls) -> WorkCalendar:
        from .models import CalendarDay

        return cls(dict(CalendarDay.objects.values_list("date", "kind")))

    def is_workday(self, day: dt.date) -> bool:
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == "workday"
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (before it when negative); start itself never counts."""
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + dt.timedelta(days=n)))


def add_working_days(start: dt.date, days: int) -> dt.date:
    return WorkCalendar.load().add_working_days(start, days)


def calendar_rows_from_package(first_year: int) -> list[tuple[dt.date, str, str]]:
    """(date, kind, Chinese name) for every exception the chinese-calendar package knows from ``first_year``."""
    import chinese_calendar

    rows = []
    for day, name in chinese_calendar.holidays.items():
        if day.year >= first_year and day.weekday() < 5:
            rows.append((day, "holiday", HOLIDAY_NAMES_ZH.get(name, name or "")))
    for day, name in chinese_calendar.workdays.items():
        if day.year >= first_year and day.weekday() >= 5:
            rows.append((day, "workday", HOLIDAY_NAMES_ZH.get(name, name or "")))
    return sorted(rows)


FIRST_SEEDED_YEAR = 2024


def ensure_calendar(day_model=None) -> None:
    """Add the package's holidays and make-up workdays that the table lacks (rows edited by staff are kept)."""
    if day_model is None:
        from .models import CalendarDay as day_model
    existing = set(day_model.objects.values_list("date", flat=True))
    day_model.objects.bulk_create(
        day_model(date=day, kind=kind, name=name)
        for day, kind, name in calendar_rows_from_package(FIRST_SEEDED_YEAR)
        if day not in existing
    )
