"""The sections of the two monthly reports: 矛盾纠纷排查调处月报 and 信访月报. Wording is Chinese (the views build the
report under ``translation.override("zh-hans")``, so choice labels come out Chinese too).

Definitions, as the pages state them:
- 化解率 = 调解成功 / (调解成功 + 调解不成) of the disputes registered in the month;
- 上期结转 = registered before the month and not closed on the day the report is made;
- 逾期 = open and past its deadline on the day the report is made (whenever registered);
- 按期答复率 = replied by the due date / (replied by it + replied late or unanswered past it).
"""

from __future__ import annotations

from disputes.filters import DisputeFilter
from disputes.models import Dispute
from petitions.filters import PetitionFilter
from petitions.models import Petition

from .registry import Figure, Part, Period, Table, rate, register_report, register_section

register_report("disputes", "矛盾纠纷排查调处月报",
                "化解率＝调解成功÷（调解成功＋调解不成），按本月登记的纠纷计；上期结转、逾期为截至报送日的情况。")
register_report("petitions", "信访月报",
                "按期答复率＝按期答复÷（按期答复＋超期），按本月受理登记的信访事项计；上期结转、逾期为截至报送日的情况。")


# --- 矛盾纠纷排查调处 ---------------------------------------------------------------------------------------


def _disputes(period: Period, **params) -> Figure:
    return period.count(model=Dispute, filterset_class=DisputeFilter, list_url="disputes:list", **params)


def _in_month(period: Period) -> dict:
    return {"registered_from": period.start, "registered_to": period.end}


def _dispute_row(period: Period, **params) -> list[Figure]:
    month = _in_month(period)
    total = _disputes(period, **month, **params)
    success = _disputes(period, **month, **params, outcome="success")
    failure = _disputes(period, **month, **params, outcome="failure")
    return [total, success, failure, rate(success, int(success.value) + int(failure.value)),
            _disputes(period, **month, **params, open="yes")]


DISPUTE_COLUMNS = ("项目", "登记（件）", "调解成功（件）", "调解不成（件）", "化解率", "尚未结案（件）")


def _dispute_table(period: Period, caption: str, field: str, choices) -> Table:
    rows = [(str(label), _dispute_row(period, **{field: value})) for value, label in choices]
    return Table(caption, DISPUTE_COLUMNS, rows, total=("合计", _dispute_row(period)))


@register_section("disputes")
def disputes_overview(period: Period) -> list[Part]:
    month = _in_month(period)
    total, success, failure, success_rate, still_open = _dispute_row(period)
    carried = _disputes(period, registered_to=period.before, open="yes")
    overdue = _disputes(period, overdue="yes")
    major = _disputes(period, **month, risk="major")
    return [
        Part("总体情况", [
            "本月共排查登记矛盾纠纷", total, "件，其中调解成功", success, "件，调解不成", failure, "件，化解率",
            success_rate, "；本月登记尚未结案", still_open, "件。上期结转未结案", carried, "件；截至报送日逾期",
            overdue, "件；本月登记重大风险纠纷", major, "件。",
        ]),
        Part("按纠纷类型统计", tables=[_dispute_table(period, "表1 矛盾纠纷类型", "kind", Dispute.Kind.choices)]),
        Part("按纠纷来源统计", tables=[_dispute_table(period, "表2 矛盾纠纷来源", "source", Dispute.Source.choices)]),
        Part("按处置层级统计", tables=[_dispute_table(period, "表3 处置层级", "level", Dispute.Level.choices)]),
    ]


# --- 信访 -------------------------------------------------------------------------------------------------


def _petitions(period: Period, **params) -> Figure:
    return period.count(model=Petition, filterset_class=PetitionFilter, list_url="petitions:list", **params)


def _received(period: Period) -> dict:
    return {"received_from": period.start, "received_to": period.end}


def _petition_row(period: Period, **params) -> list[Figure]:
    month = _received(period)
    total = _petitions(period, **month, **params)
    on_time = _petitions(period, **month, **params, on_time="yes")
    late = _petitions(period, **month, **params, on_time="no")
    return [total, on_time, late, rate(on_time, int(on_time.value) + int(late.value)),
            _petitions(period, **month, **params, status="closed"),
            _petitions(period, **month, **params, open="yes")]


PETITION_COLUMNS = ("项目", "受理登记（件）", "按期答复（件）", "超期（件）", "按期答复率", "办结销号（件）", "尚未办结（件）")


def _petition_table(period: Period, caption: str, field: str, choices) -> Table:
    rows = [(str(label), _petition_row(period, **{field: value})) for value, label in choices]
    return Table(caption, PETITION_COLUMNS, rows, total=("合计", _petition_row(period)))


@register_section("petitions")
def petitions_overview(period: Period) -> list[Part]:
    month = _received(period)
    total, on_time, late, on_time_rate, closed, still_open = _petition_row(period)
    return [
        Part("总体情况", [
            "本月共受理登记信访事项", total, "件，其中按期答复", on_time, "件，超期", late, "件，按期答复率",
            on_time_rate, "；已办结销号", closed, "件，尚未办结", still_open, "件。本月集体访",
            _petitions(period, **month, form="collective"), "件，越级访",
            _petitions(period, **month, form="skip_level"), "件，重复访",
            _petitions(period, **month, form="repeat"), "件。上期结转未办结",
            _petitions(period, received_to=period.before, open="yes"), "件；截至报送日逾期",
            _petitions(period, overdue="yes"), "件。",
        ]),
        Part("按信访渠道统计", tables=[_petition_table(period, "表1 信访渠道", "channel", Petition.Channel.choices)]),
        Part("按信访形式统计", tables=[_petition_table(period, "表2 信访形式", "form", Petition.Form.choices)]),
        Part("按问题类别统计", tables=[_petition_table(period, "表3 问题类别", "subject", Petition.Subject.choices)]),
    ]
