"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for the reception rota. A session belongs to
the township, no village: township-wide roles (and the leaders on duty) reach it; the published rota is the public
page (``reception-public``, outside the namespace). The register of walk-ins is located in villages."""

import datetime as dt

from django.utils import timezone

from reception import services
from tests.reception.factories import LeaderFactory, SessionFactory

LIST_URLS: list[str] = []

NOT_LOCATED = {
    "reception:session-detail": "a session of the township's rota",
    "reception:check-in": "a session of the township's rota",
    "reception:swap": "a session of the township's rota",
    "reception:walk-in-add": "a session of the township's rota",
}

# Staff and supervisors read the session and record swaps; only a leader on duty checks in (none of the personas
# is one here); village-scoped roles do not reach it (they read the public page).
IN_SCOPE_READABLE = {who: ["reception:session-detail"] for who in ("staff", "supervisor")}
IN_SCOPE_ALLOWED = {who: ["reception:swap"] for who in ("staff", "supervisor")}
IN_SCOPE_FORBIDDEN = {who: ["reception:check-in"] for who in ("staff", "supervisor")}
# A walk-in of village A: staff and supervisors record its outcome; the village's cadres see it in the register
# but may not act (403); grid workers and 联户长 do not see it.
IN_SCOPE_ALLOWED["staff"] = IN_SCOPE_ALLOWED["supervisor"] = ["reception:swap", "reception:walk-in-add",
                                                              "reception:outcome"]
IN_SCOPE_FORBIDDEN.update({who: ["reception:outcome"] for who in ("township_cadre", "village_cadre")})
IN_SCOPE_HIDDEN = {
    "township_cadre": list(NOT_LOCATED), "village_cadre": list(NOT_LOCATED),
    "grid_worker": [*NOT_LOCATED, "reception:outcome"], "household_head": [*NOT_LOCATED, "reception:outcome"],
}


def objects_in(world, village) -> dict[str, dict]:
    leader = LeaderFactory(township=village.township)
    session = SessionFactory(township=village.township, date=timezone.localdate() + dt.timedelta(days=10),
                             leaders=[leader])
    objects = {name: {"pk": session.pk} for name in NOT_LOCATED}
    walk_in = services.reception_record(session=session, by=world.users["staff"], visitor_name="来访人",
                                        request="反映道路问题", village=village)
    objects["reception:outcome"] = {"pk": walk_in.pk}
    return objects

# The county reads; recording a walk-in's outcome is the township's.
IN_SCOPE_FORBIDDEN |= {"county_staff": ["reception:outcome"], "county_leader": ["reception:outcome"]}
