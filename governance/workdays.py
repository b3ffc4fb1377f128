"""Working-day arithmetic on the township's calendar: Monday to Friday, less statutory holidays, plus the
调休 make-up workdays, as held in ``CalendarDay`` (seeded from the chinese-calendar package).

The State Council publishes a year's arrangement in the November or December before it, and the package learns
it later still. A year is *confirmed* (``CalendarYear``) once its arrangement is in the table; a later year is
counted on a *provisional* calendar built from the rules that do not wait for the notice (``provisional_days``):
the statutory holidays of the 全国年节及纪念日放假办法 on their solar or lunar dates, and the 补假 its article 6
owes for a holiday that falls on a weekend. The 调休 make-up Saturdays and Sundays cannot be guessed: the
provisional calendar has none. Deadlines that fall in a provisional year are shown as unconfirmed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.dispatch import Signal

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


ONE_DAY = dt.timedelta(days=1)

# --- the provisional calendar ------------------------------------------------------------------------------


def _lunar(month: int, day: int):
    def first_day(year: int) -> dt.date:
        from lunardate import LunarDate

        return LunarDate(year, month, day).to_solar_date()

    return first_day


def _solar(month: int, day: int):
    return lambda year: dt.date(year, month, day)


def _spring_festival_eve(year: int) -> dt.date:
    """除夕: the day before 正月初一 (always in late January or February of the same solar year)."""
    return _lunar(1, 1)(year) - ONE_DAY


def _qingming(year: int) -> dt.date:
    """清明: the solar term, which the package computes by formula for any year (1900–2100)."""
    import chinese_calendar

    return chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))[0][0]


#: 全国年节及纪念日放假办法 as amended by the State Council on 2024-11-10 (from 2025): the holidays of all
#: citizens, as (Chinese name, first day for a year, number of days). A change of the rules is a change here.
STATUTORY_HOLIDAYS = (
    ("元旦", _solar(1, 1), 1),
    ("春节", _spring_festival_eve, 4),  # 除夕 and 正月初一 to 初三
    ("清明节", _qingming, 1),
    ("劳动节", _solar(5, 1), 2),
    ("端午节", _lunar(5, 5), 1),
    ("中秋节", _lunar(8, 15), 1),
    ("国庆节", _solar(10, 1), 3),
)


@cache
def provisional_days(year: int) -> tuple[tuple[dt.date, str, str], ...]:
    """(date, "holiday", name) for the weekdays a year's statutory holidays will certainly cost, without the
    State Council's notice: each holiday on a weekday, and for each one on a Saturday or Sunday a 补假 (article 6),
    placed on the first free weekday after the festival (where the notice almost always puts it)."""
    blocks = sorted(
        ([first(year) + dt.timedelta(days=n) for n in range(length)], name)
        for name, first, length in STATUTORY_HOLIDAYS
    )
    taken = {day for days, _ in blocks for day in days}
    rows = []
    for days, name in blocks:
        rows += [(day, "holiday", name) for day in days if day.weekday() < 5]
        day = days[-1]
        for _ in range(sum(d.weekday() >= 5 for d in days)):
            day += ONE_DAY
            while day.weekday() >= 5 or day in taken:
                day += ONE_DAY
            taken.add(day)
            rows.append((day, "holiday", f"{name}（补假）"))
    return tuple(sorted(rows))


def package_last_year() -> int:
    """The last year whose official arrangement the installed chinese-calendar package knows."""
    import chinese_calendar

    return max(chinese_calendar.holidays).year


def last_confirmed_year() -> int:
    """The last year with an official arrangement (one query)."""
    from django.db.models import Max

    from .models import CalendarYear

    return CalendarYear.objects.aggregate(last=Max("year"))["last"] or package_last_year()


def is_provisional(day: dt.date | None, *, last_confirmed: int | None = None) -> bool:
    """Whether a date (a deadline) lies in a year counted on the provisional calendar."""
    if day is None:
        return False
    return day.year > (last_confirmed if last_confirmed is not None else last_confirmed_year())


# --- the calendar ------------------------------------------------------------------------------------------


class WorkCalendar:
    """A calendar loaded once (one query) and then asked many questions without touching the database."""

    def __init__(self, exceptions: dict[dt.date, str], last_confirmed: int | None = None):
        self.exceptions = exceptions
        self.last_confirmed = package_last_year() if last_confirmed is None else last_confirmed
        self._provisional: dict[dt.date, str] = {}
        self._provisional_years: set[int] = set()

    @classmethod
    def load(cls) -> WorkCalendar:
        from django.db.models import Max

        from .models import CalendarDay, CalendarYear

        exceptions = dict(CalendarDay.objects.values_list("date", "kind"))
        last_confirmed = CalendarYear.objects.aggregate(last=Max("year"))["last"]
        return cls(exceptions, last_confirmed)

    def is_provisional(self, day: dt.date) -> bool:
        return is_provisional(day, last_confirmed=self.last_confirmed)

    def _kind(self, day: dt.date) -> str | None:
        kind = self.exceptions.get(day)  # a day the table holds wins, also in a provisional year
        if kind is None and day.year > self.last_confirmed:
            if day.year not in self._provisional_years:
                self._provisional_years.add(day.year)
                self._provisional.update((d, k) for d, k, _ in provisional_days(day.year))
            kind = self._provisional.get(day)
        return kind

    def is_workday(self, day: dt.date) -> bool:
        kind = self._kind(day)
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


def ensure_calendar(day_model=None, year_model=None) -> None:
    """Add the package's holidays and make-up workdays that the table lacks (rows edited by staff are kept), and
    confirm the years the package knows. (The first data migration passes the day model only: no years yet.)"""
    if day_model is None:
        from .models import CalendarDay as day_model
        from .models import CalendarYear as year_model
    existing = set(day_model.objects.values_list("date", flat=True))
    day_model.objects.bulk_create(
        day_model(date=day, kind=kind, name=name)
        for day, kind, name in calendar_rows_from_package(FIRST_SEEDED_YEAR)
        if day not in existing
    )
    if year_model is not None:
        year_model.objects.bulk_create(
            [year_model(year=year, source="chinese-calendar")
             for year in range(FIRST_SEEDED_YEAR, package_last_year() + 1)],
            ignore_conflicts=True,
        )


def provisional_year_reached(today: dt.date | None = None) -> int | None:
    """The first year after the confirmed ones, from the day a deadline reaches into it: a dispute's default
    deadline counted from today, or the deadline of an open assignment. None while all stay in confirmed years.
    The calendar is deployment-wide, so is this: it names a year, never a case."""
    from django.conf import settings
    from django.utils import timezone

    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    first = calendar.last_confirmed + 1
    horizon = calendar.add_working_days(today, max(settings.DISPUTES_DEADLINE_WORKING_DAYS, 1))
    if horizon.year >= first or open_deadlines(first):
        return first
    return None


#: Sent to count the open deadlines that fall in a span of years (``first_year`` to ``last_year``, None: no end).
#: The organisation keeps no deadlines itself: the apps that do (casework's 包案) answer with a count.
open_deadlines_counted = Signal()


def open_deadlines(first_year: int, last_year: int | None = None) -> int:
    """How many open deadlines fall in those years, across the apps that keep deadlines."""
    return sum(count for _, count in open_deadlines_counted.send(
        sender=WorkCalendar, first_year=first_year, last_year=last_year))
