"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for 排查 rounds: a round over one village,
whose one return is the village's own (an object of the village alone: its cadres', not its grid workers')."""

from tests.rounds.factories import make_round

LIST_URLS = ["rounds:list"]

PAGES = ["rounds:detail", "rounds:sheet"]

# The township and the village's cadres read the round and its return; the cadres of village A fill it in; staff,
# supervisors and 包村干部 read it (403 on submitting); grid workers (whose returns are their grids') and 联户长 (who
# owe none) do not see it.
IN_SCOPE_READABLE = {who: [*PAGES, "rounds:return"]
                     for who in ("staff", "supervisor", "township_cadre", "village_cadre")}
IN_SCOPE_ALLOWED = {"village_cadre": ["rounds:return"]}
IN_SCOPE_FORBIDDEN = {who: ["rounds:return"] for who in ("staff", "supervisor", "township_cadre")}
IN_SCOPE_HIDDEN = {who: [*PAGES, "rounds:return"] for who in ("grid_worker", "household_head")}


def objects_in(world, village) -> dict[str, dict]:
    campaign = make_round(world, villages=[village], title=f"{village.name}排查")
    ret = campaign.returns.get()
    return {"rounds:detail": {"pk": campaign.pk}, "rounds:sheet": {"pk": campaign.pk}, "rounds:return": {"pk": ret.pk}}

# The county reads its townships' rounds and their sheets; the returns are the villages'.
IN_SCOPE_READABLE |= {"county_staff": [*PAGES, "rounds:return"], "county_leader": [*PAGES, "rounds:return"]}
IN_SCOPE_FORBIDDEN |= {"county_staff": ["rounds:return"], "county_leader": ["rounds:return"]}
