"""Monitoring cases for tests, and ``advance`` to walk one along its path."""

import datetime as dt

from monitoring import services
from monitoring.models import MeasureCategory, MonitoringCase, MonitoringType, RiskKind
from tests.factories import HouseholdFactory

S = MonitoringCase.Status
DAY = dt.timedelta(days=1)
ENTRY_PATH = [S.LEAD, S.VERIFYING, S.PUBLICITY, S.TOWNSHIP_REVIEW, S.COUNTY_REVIEW, S.MONITORED]
EXIT_PATH = [S.MONITORED, S.EXIT_APPLIED, S.EXIT_VERIFYING, S.EXIT_PUBLICITY, S.EXIT_COUNTY_REVIEW, S.ELIMINATED]


def open_case(by, *, grid=None, household=None, type_code="edge", **fields):
    household = household or HouseholdFactory(grid=grid)
    return services.case_open(
        by=by, household=household, type=MonitoringType.objects.get(code=type_code),
        risk_kinds=RiskKind.objects.filter(code__in=["illness"]), **fields)


def step(case, target, by, on=None):
    """Move ``case`` one step to ``target`` with valid input, on ``on`` (default: today as the case knows it)."""
    on = on or case.found_on
    if target in (S.VERIFYING, S.EXIT_VERIFYING):
        case.verify(by=by, on=on)
    elif target in (S.PUBLICITY, S.EXIT_PUBLICITY):
        case.start_publicity(by=by, starts_on=on, ends_on=on + 5 * DAY, minutes="村民代表评议同意")
    elif target in (S.TOWNSHIP_REVIEW, S.EXIT_COUNTY_REVIEW):
        case.end_publicity(by=by, on=case.publicity_ends_on)
    elif target == S.COUNTY_REVIEW:
        case.township_approve(by=by, on=on)
    elif target == S.MONITORED:
        case.county_approve(by=by, on=on, note="平乡振〔2026〕1号")
    elif target == S.REJECTED:
        case.reject(by=by, on=on, reason="收入高于监测范围")
    elif target == S.EXIT_APPLIED:
        case.apply_exit(by=by, on=on)
    elif target == S.ELIMINATED:
        case.approve_elimination(by=by, on=on, note="平乡振〔2026〕2号")
    else:
        raise AssertionError(target)
    case.refresh_from_db()
    return case


def advance(case, target, by):
    """Walk ``case`` from 线索 to ``target`` along the entry then the exit path (or to 不予纳入)."""
    if target == S.REJECTED:
        return step(case, S.REJECTED, by)
    path = ENTRY_PATH + EXIT_PATH[1:]
    for state in path[path.index(case.status) + 1: path.index(target) + 1]:
        step(case, state, by)
    return case


def category(code="public-job"):
    return MeasureCategory.objects.get(code=code)
