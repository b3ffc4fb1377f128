"""排查 rounds (``Campaign``) and their returns (``Return``): making a round, submitting a return, and what was found.

What was found is the cases of the case types that link to a return. A case type joins with one field::

    found_in_return = models.ForeignKey(
        "casework.Return", models.PROTECT, null=True, blank=True, related_name="found_disputes",
        limit_choices_to={"campaign__kind": "disputes"}, verbose_name=_("found in screening return"))

``finding_links()`` is the registry: every such field (named ``found_in_return``), with the kind of round its
``limit_choices_to`` names. casework imports no case type: it reads them from the relation. A case type that joins
has ``objects.visible_to``, a ``village`` (and a ``grid`` for rounds by grid) and a date of registration
(``DATE_FIELDS``, else ``created_at``): the return form offers its cases of the village registered since the round
started.

A return's date is a 包案 deadline: each return gets a ``ResponsibilityAssignment`` (lead: the round's author; team:
the village's cadres or the grid's workers), so the reminder scan sends the 临期预警 before the date, the 逾期预警
after it and escalates to the supervisors, as for any case; submitting the return closes it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Grid, User

from .models import Campaign, Return
from .services import assignment_close, assignment_create

FOUND_FIELD = "found_in_return"
#: The date that says when a found case was registered, the first a case type has.
DATE_FIELDS = ("registered_on", "found_on", "received_on")


@dataclass(frozen=True)
class FindingLink:
    model: type[Model]
    kind: str | None  # the kind of round it serves; None: every kind

    @property
    def key(self) -> str:
        return self.model._meta.label_lower.replace(".", "-")

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def serves(self, campaign: Campaign) -> bool:
        return self.kind is None or self.kind == campaign.kind

    def date_lookup(self) -> str:
        names = {f.name for f in self.model._meta.concrete_fields}
        return next((n for n in DATE_FIELDS if n in names), "created_at__date")


def finding_links() -> list[FindingLink]:
    """The registry of case types that link to a return (``found_in_return``), in a stable order."""
    links = []
    for rel in Return._meta.related_objects:
        if rel.field.name == FOUND_FIELD:
            limit = rel.field.remote_field.limit_choices_to or {}
            links.append(FindingLink(rel.related_model, limit.get("campaign__kind") if isinstance(limit, dict) else None))
    return sorted(links, key=lambda link: link.key)


def links_for(campaign: Campaign) -> list[FindingLink]:
    return [link for link in finding_links() if link.serves(campaign)]


def found_counts(returns) -> dict[int, int]:
    """How many cases each return lists as found: one query per case type that links to returns."""
    ids = [r.pk for r in returns]
    counts: dict[int, int] = defaultdict(int)
    if not ids:
        return counts
    for link in finding_links():
        rows = (link.model._base_manager.filter(**{f"{FOUND_FIELD}__in": ids}).order_by()
                .values_list(FOUND_FIELD).annotate(n=Count("pk")))
        for return_id, n in rows:
            counts[return_id] += n
    return counts


def found_cases(ret: Return, user) -> list[tuple[FindingLink, list]]:
    """The cases linked to ``ret`` that ``user`` may see, per case type."""
    return [(link, list(link.model.objects.visible_to(user).filter(**{FOUND_FIELD: ret})))
            for link in links_for(ret.campaign)]


def found_in_campaign(campaign: Campaign, user) -> list[tuple[FindingLink, list]]:
    """The cases found by the returns of ``campaign`` that ``user`` may see, per case type: one query each."""
    out = []
    for link in links_for(campaign):
        names = {f.name for f in link.model._meta.concrete_fields}
        related = [n for n in ("village", "grid") if n in names] + list(getattr(link.model, "FOUND_LIST_RELATED", ()))
        cases = (link.model.objects.visible_to(user).filter(**{f"{FOUND_FIELD}__campaign": campaign})
                 .select_related(*related, f"{FOUND_FIELD}__village", f"{FOUND_FIELD}__grid").order_by("pk"))
        out.append((link, list(cases)))
    return out


def candidates(ret: Return, user, link: FindingLink):
    """What may be linked to ``ret``: the cases of its village (or grid) registered since the round started that
    ``user`` sees and no other return lists."""
    qs = link.model.objects.visible_to(user).filter(village=ret.village_id).filter(
        Q(**{f"{FOUND_FIELD}__isnull": True}) | Q(**{FOUND_FIELD: ret}),
        **{f"{link.date_lookup()}__gte": ret.campaign.starts_on},
    )
    if ret.grid_id and "grid" in {f.name for f in link.model._meta.concrete_fields}:
        qs = qs.filter(grid=ret.grid_id)
    return qs


# --- Use cases ---------------------------------------------------------------------------------------------


def return_team(village, grid=None) -> list[User]:
    """Who fills in a return, and is reminded of it: the grid's workers, or the village's cadres."""
    active = User.objects.filter(is_active=True)
    if grid is not None:
        return list(active.filter(role=User.Role.GRID_WORKER, grids=grid))
    return list(active.filter(role=User.Role.VILLAGE_CADRE, villages=village))


@transaction.atomic
def campaign_create(*, by: User, township, kind: str, title: str, villages, starts_on: dt.date, ends_on: dt.date,
                    returns_due: dt.date, topics: list[str] = (), by_grid: bool = False,
                    checklist: str = "") -> Campaign:
    """A round and one return per village (or per grid of those villages), each with its 包案 deadline."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": ValidationError(_("The round cannot end before it starts."))})
    if returns_due < starts_on:
        raise ValidationError({"returns_due": ValidationError(_("Returns cannot be due before the round starts."))})
    villages = sorted(villages, key=lambda v: v.name)
    if not villages:
        raise ValidationError({"villages": ValidationError(_("Choose at least one village."))})
    campaign = Campaign(township=township, kind=kind, title=title, topics=list(topics), by_grid=by_grid,
                        starts_on=starts_on, ends_on=ends_on, returns_due=returns_due, checklist=checklist,
                        created_by=by)
    campaign._history_user = by
    campaign.save()
    places = []
    for village in villages:
        grids = list(Grid.objects.filter(village=village).order_by("name")) if by_grid else []
        places += [(village, grid) for grid in grids] or [(village, None)]
    for village, grid in places:
        ret = Return(campaign=campaign, township=township, village=village, grid=grid)
        ret._history_user = by
        ret.save()
        assignment_create(
            case=ret, township=township, village=village, grid=grid, lead=by, deadline=returns_due,
            responsible_unit=village.name, team=return_team(village, grid), label=f"{campaign.title} · {ret.place}",
            by=by,
        )
    return campaign


@transaction.atomic
def return_submit(*, ret: Return, by: User, checked_count: int, checked_note: str = "", found_note: str = "",
                  zero_report: bool = False, found: dict[str, list[int]] | None = None,
                  now: dt.datetime | None = None) -> Return:
    """Submit or correct a return: link the cases chosen as found (among ``candidates``), unlink those no longer
    chosen, then the return itself (which refuses a 零报告 with findings), and stop its reminders."""
    found = found or {}
    linked = 0
    for link in links_for(ret.campaign):
        chosen = {int(pk) for pk in found.get(link.key, [])}
        for case in candidates(ret, by, link):
            want = case.pk in chosen
            if want != (getattr(case, f"{FOUND_FIELD}_id") == ret.pk):
                setattr(case, FOUND_FIELD, ret if want else None)
                case._history_user = by
                case._change_reason = "screening return"
                case.save(update_fields=[FOUND_FIELD, "updated_at"])
            linked += want
    now = now or timezone.now()
    ret.submit(by=by, checked_count=checked_count, checked_note=checked_note, found_note=found_note,
               zero_report=zero_report, found=linked, now=now)
    assignment_close(case=ret, now=now)
    return ret


def may_submit(ret: Return, user) -> bool:
    """The village's cadres (a grid's return too), and the grid's workers for a grid's return."""
    if user.is_superuser:
        return True
    scope = user.scope
    if user.role == User.Role.VILLAGE_CADRE:
        return ret.village_id in scope.village_ids
    if user.role == User.Role.GRID_WORKER:
        return ret.grid_id is not None and ret.grid_id in scope.grid_ids
    return False


def may_create(user) -> bool:
    return user.has_role(User.Role.TOWNSHIP_STAFF)


# --- Figures -----------------------------------------------------------------------------------------------


def due_returns(user, today: dt.date):
    """The returns that were due by ``today`` (their date is past, or they are in), in ``user``'s scope."""
    return Return.objects.visible_to(user).filter(Q(campaign__returns_due__lt=today) | Q(submitted_at__isnull=False))


def on_time_rate(user, today: dt.date) -> dict:
    """排查任务按时上报率: the returns in on time, out of those due. One query."""
    counts = due_returns(user, today).aggregate(due=Count("pk"), on_time=Count("pk", filter=Q(
        submitted_at__isnull=False, is_late=False)))
    due, on_time = counts["due"], counts["on_time"]
    return {"due": due, "on_time": on_time, "rate": (on_time * 100.0 / due) if due else None}
