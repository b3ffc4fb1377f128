"""The pages of 排查 rounds: the list, a new round, a round's page (one line per village or grid), its statistics
sheet, and a village's return. Each starts from ``visible_to``: out of scope 404, in scope without the role 403."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.audit import history_entries
from core.concurrency import Conflict, conflict_response, save_versioned
from core.lists import ListFilterSet, ScopedListView
from core.scoping import scoped_object
from governance.models import User
from governance.permissions import RoleRequiredMixin, require_role

from . import rounds
from .models import Campaign, Return
from .rounds_forms import CampaignForm, ReturnForm
from .rounds_sheet import sheet_response

#: Everyone who works a part of the township; household heads owe no return.
READERS = tuple(role for role in User.Role.values if role != User.Role.HOUSEHOLD_HEAD)


class CampaignTable(tables.Table):
    title = tables.Column(verbose_name=gettext_lazy("title"), linkify=("rounds:detail", {"pk": tables.A("pk")}))
    kind = tables.Column(verbose_name=gettext_lazy("kind of screening"))
    period = tables.Column(verbose_name=gettext_lazy("Screening period"), empty_values=(), orderable=False)
    returns_due = tables.DateColumn(verbose_name=gettext_lazy("returns due on"), format="Y-m-d")
    progress = tables.Column(verbose_name=gettext_lazy("Returns in"), empty_values=(), orderable=False)

    class Meta:
        model = Campaign
        fields: list[str] = []
        sequence = ("title", "kind", "period", "returns_due", "progress")
        row_attrs = {"data-testid": "round-row"}
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = gettext_lazy("No screening rounds.")

    def render_period(self, record):
        return f"{record.starts_on:%Y-%m-%d} – {record.ends_on:%Y-%m-%d}"

    def render_progress(self, record):
        text = f"{record.n_submitted} / {record.n_returns}"
        silent = record.n_returns - record.n_submitted if record.returns_due < timezone.localdate() else 0
        if silent:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', text,
                               _("%(n)d silent") % {"n": silent})
        return text


class CampaignFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind of screening"), choices=Campaign.Kind.choices)

    class Meta:
        model = Campaign
        fields: list[str] = []


class CampaignListView(RoleRequiredMixin, ScopedListView):
    allowed_roles = READERS
    model = Campaign
    table_class = CampaignTable
    filterset_class = CampaignFilter
    title = gettext_lazy("Screening rounds")

    def base_queryset(self):
        # The counts are of the returns the user sees (a village cadre: their own village's).
        mine = Q(returns__in=Return.objects.visible_to(self.request.user))
        return Campaign.objects.annotate(
            n_returns=Count("returns", filter=mine),
            n_submitted=Count("returns", filter=mine & Q(returns__submitted_at__isnull=False)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["create_url_name"] = "rounds:create" if rounds.may_create(self.request.user) else None
        return context


campaign_list = CampaignListView.as_view()


@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user, User.Role.TOWNSHIP_STAFF)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        township = request.user.township or data["villages"][0].township
        try:
            campaign = rounds.campaign_create(by=request.user, township=township, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Screening round created: %(n)d returns are due.") % {
                "n": campaign.returns.count()})
            return redirect(campaign)
    return render(request, "casework/campaign_form.html", {"form": form})


def _lines(campaign: Campaign, user) -> list[Return]:
    """The returns of the round that ``user`` sees, each with ``found`` and ``state``: three queries at most plus one
    per case type that links to returns."""
    today = timezone.localdate()
    lines = list(Return.objects.visible_to(user).filter(campaign=campaign)
                 .select_related("village", "grid", "submitted_by", "campaign"))
    found = rounds.found_counts(lines)
    for line in lines:
        line.found = found.get(line.pk, 0)
        line.current_state = line.state(today)
        line.current_state_label = Return.State(line.current_state).label
    return lines


@scoped_object(Campaign.objects.select_related("created_by", "township"))
def campaign_detail(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    lines = _lines(campaign, request.user)
    submitted = [r for r in lines if r.is_submitted]
    totals = {
        "returns": len(lines), "submitted": len(submitted),
        "zero": sum(r.zero_report for r in submitted), "late": sum(r.is_late for r in submitted),
        "silent": sum(r.current_state == Return.State.SILENT for r in lines),
        "checked": sum(r.checked_count or 0 for r in submitted), "found": sum(r.found for r in lines),
    }
    return render(request, "casework/campaign_detail.html", {
        "campaign": campaign, "lines": lines, "totals": totals,
        "may_submit": {r.pk for r in lines if rounds.may_submit(r, request.user)},
        "found": rounds.found_in_campaign(campaign, request.user),
    })


@scoped_object(Campaign.objects.select_related("township"))
def campaign_sheet(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    return sheet_response(campaign=campaign, lines=_lines(campaign, request.user), user=request.user)


@scoped_object(Return.objects.select_related("campaign", "village", "grid", "submitted_by", "corrected_by"),
               methods=("GET", "POST"))
def return_form(request: HttpRequest, ret: Return) -> HttpResponse:
    """The return: read by everyone in scope; submitted or corrected by the village's cadres or grid workers."""
    allowed = rounds.may_submit(ret, request.user)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    links = rounds.links_for(ret.campaign)
    choices = [(link, list(rounds.candidates(ret, request.user, link))) for link in links] if allowed else []
    initial = {"checked_count": ret.checked_count, "checked_note": ret.checked_note, "found_note": ret.found_note,
               "zero_report": ret.zero_report}
    initial.update({f"found_{link.key}": [c.pk for c in cases if c.found_in_return_id == ret.pk]
                    for link, cases in choices})
    form = ReturnForm(request.POST or None, initial=initial, choices=choices, ret=ret)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_versioned(form, lambda: rounds.return_submit(
                ret=ret, by=request.user, checked_count=data["checked_count"], checked_note=data["checked_note"],
                found_note=data["found_note"], zero_report=data["zero_report"], found=form.found()))
        except Conflict as conflict:
            return conflict_response(request, conflict, form, reload_url=request.path,
                                     back_url=ret.campaign.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Return submitted."))
            return redirect(ret.campaign)
    return render(request, "casework/return_form.html", {
        "ret": ret, "campaign": ret.campaign, "form": form if allowed else None,
        "state_label": ret.state_label(timezone.localdate()),
        "found": rounds.found_cases(ret, request.user), "entries": history_entries(ret),
    })
