"""The scoping-matrix contract for standards (GB/T 31000 data sets): the township is in the URL; no village owns it.
The township's staff and supervisors and the county's staff and leaders read and export; full ID numbers are the
township staff's (with a reason); every other role is refused."""

TOWNSHIP, EXPORT, FULL = "standards:township", "standards:export", "standards:export-full"
ALL = [TOWNSHIP, EXPORT, FULL]
LIST_URLS: list[str] = []
NOT_LOCATED = {name: "a township's data set: the township is in the URL" for name in ALL}


def objects_in(world, village) -> dict[str, dict]:
    return {name: {"township": village.township.pk} for name in ALL}


IN_SCOPE_READABLE = {
    "staff": ALL, "supervisor": [TOWNSHIP, EXPORT],
    "county_staff": [TOWNSHIP, EXPORT], "county_leader": [TOWNSHIP, EXPORT],
}
IN_SCOPE_ALLOWED = {"staff": [FULL]}  # an empty reason: 400, the form again
IN_SCOPE_FORBIDDEN = {
    "supervisor": [FULL], "county_staff": [FULL], "county_leader": [FULL],
    **{who: ALL for who in ("township_cadre", "village_cadre", "grid_worker", "household_head")},
}
