from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# The product's sections. Each app fills its own; a section whose URL does not exist yet is left out.
SECTIONS = [
    ("households", _("Households"), "households:list"),
    ("visits", _("Visits"), "households:visit-list"),
    ("disputes", _("Disputes"), "disputes:list"),
    ("petitions", _("Petitions"), "petitions:list"),
    ("reception", _("Reception days"), "reception:rota"),
    ("hazards", _("Safety hazards"), "hazards:list"),
    ("rounds", _("Screening rounds"), "rounds:list"),
    ("monitoring", _("Poverty monitoring"), "monitoring:list"),
    ("outreach", _("Publicity and training"), "outreach:reach"),
    ("honours", _("Red and black lists"), "honours:list"),
    ("assessment", _("Assessment"), "assessment:run-list"),
    ("dashboards", _("Statistics"), "dashboards:home"),
    ("county", _("County overview"), "dashboards:county"),
    ("reports", _("Monthly reports"), "reports:index"),
    ("standards", _("Upward data (GB/T 31000)"), "standards:index"),
    ("governance", _("Organisation"), "governance:village-list"),
]
# Sections only some roles reach (role values as strings: core imports no app of ours).
SECTION_ROLES = {
    "reports": ("township_staff", "supervisor", "township_cadre", "village_cadre"),
    "county": ("county_staff", "county_leader"),
    "standards": ("township_staff", "supervisor", "county_staff", "county_leader"),
    "rounds": ("county_leader", "county_staff", "township_staff", "supervisor", "township_cadre", "village_cadre",
               "grid_worker"),
}


def _sections():
    # The same for every request under one script prefix and URLconf (the labels are translated when shown):
    # reversed once, not six times each time a template renders with the request (twice a list page).
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    sections = _reversed.get(key)
    if sections is None:
        sections = _reversed[key] = _reverse_sections()
    return sections


_reversed: dict[tuple, list[dict]] = {}


def _reverse_sections():
    result = []
    for key, label, url_name in SECTIONS:
        try:
            result.append({"key": key, "label": label, "url": reverse(url_name)})
        except Exception:  # noqa: BLE001 - a section whose app has no page yet
            continue
    return result


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = request.user
    sections = [
        s for s in _sections()
        if s["key"] not in SECTION_ROLES or user.is_superuser or getattr(user, "role", None) in SECTION_ROLES[s["key"]]
    ]
    return {"nav_sections": sections, "nav_active": _active_section(request)}


VISIT_PAGES = ("visit", "demand", "coverage", "not-visited", "past-cadence")


def _active_section(request) -> str | None:
    """The section the page belongs to: its app's, except the visit pages, which live in the households app."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.app_name == "households" and (match.url_name or "").startswith(VISIT_PAGES):
        return "visits"
    if match.app_name == "dashboards" and (match.url_name or "").startswith("county"):
        return "county"
    return match.app_name
