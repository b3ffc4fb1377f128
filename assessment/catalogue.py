"""The standard items of a 联户长 scheme (四员 + 纪律 + 加分), copied into a new scheme; each township adjusts them."""

from __future__ import annotations

from decimal import Decimal

from .models import Item, Scheme

M, D, R = Item.Metric, Item.Duty, Item.Rule
STANDARD_ITEMS = [
    # (duty, name, kind, metric, rule, params, points)
    (D.COLLECT, "联系户走访覆盖率", "computed", M.COVERAGE, R.BANDS,
     {"bands": [[0.95, 25], [0.8, 20], [0.6, 15], [0.4, 8]]}, 25),
    (D.COLLECT, "矛盾纠纷、隐患、诉求及时上报率", "computed", M.REPORT_TIMELINESS, R.BANDS,
     {"bands": [[0.95, 10], [0.8, 7], [0.6, 4]]}, 10),
    (D.PUBLICISE, "政策宣传覆盖率", "computed", M.PUBLICITY_REACH, R.BANDS, {"bands": [[0.95, 10], [0.8, 6]]}, 10),
    (D.MEDIATE, "发现并上报矛盾纠纷、隐患、诉求", "computed", M.REPORTS, R.PER_EVENT, {"points": 2, "cap": 10}, 10),
    (D.MEDIATE, "联系户集体访、越级访", "computed", M.PETITIONS, R.DEDUCTION, {"points": 5, "cap": 10}, 10),
    (D.SERVE, "特殊群体按期关爱率", "computed", M.CADENCE, R.BANDS, {"bands": [[0.8, 15], [0.5, 10], [0.25, 6], [0.1, 3]]}, 15),
    (D.SERVE, "群众评议满意率", "computed", M.SATISFACTION, R.BANDS, {"bands": [[0.9, 20], [0.8, 15], [0.6, 8]]}, 20),
    (D.DISCIPLINE, "遵守纪律、如实填报", "manual", "", R.DEDUCTION, {}, 10),
    (D.BONUS, "参加培训学时", "computed", M.TRAINING, R.PER_EVENT, {"points": 1, "cap": 5}, 5),
    (D.BONUS, "见义勇为、受到表彰等", "manual", "", R.PER_EVENT, {}, 5),
]


def add_standard_items(scheme: Scheme) -> None:
    for position, (duty, name, kind, metric, rule, params, points) in enumerate(STANDARD_ITEMS, start=1):
        Item.objects.create(scheme=scheme, position=position, duty=duty, name=name, kind=kind, metric=metric,
                            rule=rule, params=params, max_points=Decimal(points))
