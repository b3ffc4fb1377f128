"""households' lines of the home page's 待办 (core/todo.py): the doors to knock on (households past their care
cadence) and the open demands (诉求) in my scope. Each count is its list's own queryset."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from core.todo import TodoLine
from governance.models import User

from .figures import households_past_cadence
from .models import Demand

#: Who goes to the door: the care cadence is their line (the township sees it on the dashboard).
VISITORS = (User.Role.HOUSEHOLD_HEAD, User.Role.GRID_WORKER, User.Role.VILLAGE_CADRE, User.Role.TOWNSHIP_CADRE)


def lines(user, today: dt.date) -> list[TodoLine]:
    result = []
    if user.role in VISITORS:
        result.append(TodoLine("past_cadence", _("Households to visit: past their care cadence"),
                               households_past_cadence(user, today=today).count(),
                               reverse("households:past-cadence"), tone="danger", order=25))
    demands = Demand.objects.visible_to(user).open().count()
    result.append(TodoLine("open_demands", _("Open demands in my area"), demands,
                           reverse("households:demand-list") + "?state=open", order=40))
    return result
