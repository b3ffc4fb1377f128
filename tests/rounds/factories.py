"""A round made the real way (casework.rounds.campaign_create), for tests."""

import datetime as dt

from casework import rounds
from casework.models import Campaign


def make_round(world, *, villages=None, kind=Campaign.Kind.DISPUTES, by_grid=False, returns_due=dt.date(2026, 11, 25),
               starts_on=dt.date(2026, 11, 1), title="11月下半月矛盾纠纷排查") -> Campaign:
    villages = villages if villages is not None else [world.village_a, world.village_b]
    return rounds.campaign_create(
        by=world.users["staff"], township=villages[0].township if villages else world.township, kind=kind,
        title=title, villages=villages,
        starts_on=starts_on, ends_on=returns_due, returns_due=returns_due, by_grid=by_grid,
        topics=["邻里纠纷", "土地纠纷"],
    )
