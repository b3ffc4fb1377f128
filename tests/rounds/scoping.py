"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for 排查 rounds: a round over one village."""

from tests.rounds.factories import make_round

LIST_URLS = ["rounds:list"]

PAGES = ["rounds:detail", "rounds:sheet"]
WORKERS = ("village_cadre", "grid_worker")

# Everyone who works village A reads its round and its return; its cadres and grid workers fill the return in; staff,
# supervisors and 包村干部 read it (403 on submitting); a 联户长 owes no return and sees none.
IN_SCOPE_READABLE = {who: [*PAGES, "rounds:return"]
                     for who in ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker")}
IN_SCOPE_ALLOWED = {who: ["rounds:return"] for who in WORKERS}
IN_SCOPE_FORBIDDEN = {who: ["rounds:return"] for who in ("staff", "supervisor", "township_cadre")}
IN_SCOPE_HIDDEN = {"household_head": [*PAGES, "rounds:return"]}


def objects_in(world, village) -> dict[str, dict]:
    campaign = make_round(world, villages=[village], title=f"{village.name}排查")
    ret = campaign.returns.get()
    return {"rounds:detail": {"pk": campaign.pk}, "rounds:sheet": {"pk": campaign.pk}, "rounds:return": {"pk": ret.pk}}
