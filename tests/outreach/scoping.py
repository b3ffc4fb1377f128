"""The scoping-matrix contract (tests/governance/test_scoping_matrix.py) for outreach: a publicity event (with a photo)
and a training session of the village."""

from tests.outreach.factories import make_event, make_training

LIST_URLS = ["outreach:event-list", "outreach:training-list"]

PAGES = ["outreach:event-detail", "outreach:event-photo", "outreach:training-detail"]
KEEP = ["outreach:training-attendance"]
EVERYONE = ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head")

IN_SCOPE_READABLE = {who: PAGES for who in (*EVERYONE, "county_staff", "county_leader")}
IN_SCOPE_ALLOWED = {who: KEEP for who in ("staff", "township_cadre", "village_cadre")}
# Supervisors read; grid workers and 联户长 come to training, they do not keep its sign-in sheet; nor does the county.
IN_SCOPE_FORBIDDEN = {who: KEEP for who in ("supervisor", "grid_worker", "household_head", "county_staff",
                                             "county_leader")}
#: Held for the whole village or township, not for one grid: every grid worker of the village may open them.
NOT_IN_A_GRID = {
    "outreach:event-detail": "a publicity event is held for the village", "outreach:event-photo": "its photos",
    "outreach:training-detail": "a training session is the township's", "outreach:training-attendance": "its sheet",
}


def objects_in(world, village) -> dict[str, dict]:
    staff = world.users["staff"]
    event = make_event(village, by=staff, photo=True)
    session = make_training(village.township, by=staff, village=village)
    return {
        "outreach:event-detail": {"pk": event.pk},
        "outreach:event-photo": {"pk": event.pk, "photo_pk": event.photos.get().pk},
        "outreach:training-detail": {"pk": session.pk},
        "outreach:training-attendance": {"pk": session.pk},
    }
