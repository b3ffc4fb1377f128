"""Use cases of governance that other apps call. Keyword-only, ``<entity>_<action>``, atomic."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import CalendarDay, CalendarYear, User
from .permissions import require_deployment_keeper
from .workdays import open_deadlines


@transaction.atomic
def calendar_year_confirm(*, year: int, days: list[tuple[dt.date, str, str]], by: User, source: str = "") -> int:
    """Enter a year's official arrangement (holidays on weekdays, 调休 workdays on weekends): it replaces the year's
    days and confirms the year. Working days, reminders and the 未确认 marks follow at once (they read the
    calendar). Stored deadlines are dates and keep them: how they were counted is not stored, and a date
    announced to the lead official does not move behind their back. Returns how many open assignments have a
    deadline in that year, for the administrator to check."""
    require_deployment_keeper(by)
    wanted = {day: (kind, name) for day, kind, name in days if day.year == year}
    for row in CalendarDay.objects.filter(date__year=year).select_for_update():
        if row.date not in wanted:
            row.delete()
        elif (row.kind, row.name) != wanted[row.date]:
            row.kind, row.name = wanted.pop(row.date)
            row.save(update_fields=["kind", "name"])
        else:
            del wanted[row.date]
    for day, (kind, name) in wanted.items():
        CalendarDay.objects.create(date=day, kind=kind, name=name)
    CalendarYear.objects.update_or_create(
        year=year, defaults={"confirmed_by": by, "confirmed_at": timezone.now(), "source": source}
    )
    return open_deadlines(year, year)
