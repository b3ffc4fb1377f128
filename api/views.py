"""The API's resources. Every queryset starts from the model's ``visible_to(request.user)`` — for an integration
token, its service user of the township or county — so the API shows exactly what the web lists show the same user;
out of scope answers 404 as for a missing row, in scope but not allowed 403 (tests/api/)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from casework.models import ResponsibilityAssignment
from core.addresses import client_ip
from disputes.models import Dispute
from governance.models import Grid, HouseholdHead, Township, User, Village
from governance.permissions import VISIT_LOGGERS
from hazards.models import Hazard
from households import services as household_services
from households.forms import DemandLogForm, VisitForm
from households.models import Demand, Household, Resident, RevealLog, Visit
from households.permissions import REGISTRY_EDITORS, visible_tags
from households.visit_extensions import SectionRefused, sections_for, sections_save
from monitoring.models import MonitoringCase
from petitions.models import Petition

from . import serializers as s
from .errors import ApiError, form_errors
from .idempotency import HEADER, idempotent
from .permissions import may_reveal_through

#: The largest primary key PostgreSQL's bigint holds: a larger id in a URL is missing, not a database error.
MAX_ID = 2**63 - 1

UPDATED_SINCE = OpenApiParameter(
    "updated_since", OpenApiTypes.DATETIME, required=False,
    description="Only rows changed at or after this moment (ISO 8601; without a zone, Beijing time). "
                "Rows come oldest change first; follow `next` for the rest.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="A key of your own (a UUID) for this write: a retry with the same key and body returns the first "
                "answer and creates nothing; the same key with another body answers 422.",
)


def parse_moment(value: str) -> dt.datetime:
    moment = parse_datetime_or_none(value)
    try:
        if moment is None:
            raise ValueError
        # In UTC: PostgreSQL refuses some offsets Python accepts (+22:29).
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment)).astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise ApiError("invalid_parameter", zh="updated_since 须为 ISO 8601 时间，如 2026-11-20T08:00:00+08:00。",
                       en="updated_since must be an ISO 8601 moment, e.g. 2026-11-20T08:00:00+08:00.") from exc


def parse_datetime_or_none(value: str) -> dt.datetime | None:
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = dt.datetime.combine(day, dt.time())
    except (ValueError, OverflowError):
        return None
    return moment


class ScopedListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A read-only list (cursor-paginated, ``updated_since``); ``ScopedViewSet`` adds the row (404 out of scope)."""

    #: Roles refused outright (403), as the web list refuses them.
    refused_roles: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, *args, **kwargs):
        # The token is the login: Django's LoginRequiredMiddleware must not send an API client to the login page.
        return login_not_required(super().as_view(*args, **kwargs))

    def base_queryset(self):
        return self.queryset.model.objects.all()

    def list(self, request, *args, **kwargs):
        # (A row out of the refused role's reach answers 404 as any row out of scope: get_queryset decides.)
        user = request.user
        if self.refused_roles and not user.is_superuser and user.role in self.refused_roles:
            raise ApiError("permission_denied")
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = self.base_queryset().visible_to(self.request.user)
        if self.action == "list" and (since := self.request.query_params.get("updated_since")) is not None:
            queryset = queryset.filter(updated_at__gte=parse_moment(since))
        return queryset

    def get_object(self):
        try:
            if not 0 < int(self.kwargs["pk"]) <= MAX_ID:
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise ApiError("not_found") from exc
        return super().get_object()


class ScopedViewSet(mixins.RetrieveModelMixin, ScopedListViewSet):
    pass


def read_only(summary: str):
    return extend_schema_view(
        list=extend_schema(summary=summary, parameters=[UPDATED_SINCE]),
        retrieve=extend_schema(summary=summary),
    )


@extend_schema_view(list=extend_schema(summary="Townships (镇)", parameters=[UPDATED_SINCE]))
class TownshipViewSet(ScopedListViewSet):
    """A list only: a township holds its villages, so it is no row of one village (the scoping matrix)."""

    queryset = Township.objects.all()
    serializer_class = s.TownshipSerializer


@read_only("Villages (村/社区)")
class VillageViewSet(ScopedViewSet):
    queryset = Village.objects.all()
    serializer_class = s.VillageSerializer


@read_only("Grids (网格)")
class GridViewSet(ScopedViewSet):
    queryset = Grid.objects.all()
    serializer_class = s.GridSerializer


@read_only("Household heads (联户长)")
class HeadViewSet(ScopedViewSet):
    queryset = HouseholdHead.objects.all()
    serializer_class = s.HeadSerializer


def _shown_tags(user) -> Prefetch:
    return Prefetch("tags", queryset=visible_tags(user), to_attr="shown_tags")


@read_only("Households (户)")
class HouseholdViewSet(ScopedViewSet):
    queryset = Household.objects.all()
    serializer_class = s.HouseholdSerializer

    def base_queryset(self):
        return Household.objects.prefetch_related(_shown_tags(self.request.user))


REVEAL = OpenApiParameter(
    "reveal", OpenApiTypes.STR, required=False, enum=["id_number", "phone", "id_number,phone"],
    description="Show these fields in full. Needs a token with may_reveal, a user allowed to, and a `reason`; "
                "each value shown is logged in the reveal log, and at most HOUSEHOLDS_REVEALS_PER_MINUTE a minute.",
)
REASON = OpenApiParameter("reason", OpenApiTypes.STR, required=False,
                          description="Why the full values are needed (at least 2 characters), for the reveal log.")


@extend_schema_view(
    list=extend_schema(summary="Residents (成员): ID numbers and phones masked", parameters=[UPDATED_SINCE]),
    retrieve=extend_schema(summary="A resident; `reveal` with a `reason` shows full values, logged",
                           parameters=[REVEAL, REASON]),
)
class ResidentViewSet(ScopedViewSet):
    queryset = Resident.objects.all()
    serializer_class = s.ResidentSerializer

    def base_queryset(self):
        return Resident.objects.prefetch_related(_shown_tags(self.request.user))

    def retrieve(self, request, *args, **kwargs):
        resident = self.get_object()
        revealed = self._reveal(request, resident)
        return Response(self.get_serializer(resident, context={**self.get_serializer_context(),
                                                               "revealed": revealed}).data)

    def _reveal(self, request, resident: Resident) -> dict:
        asked = request.query_params.get("reveal")
        if asked is None:
            return {}
        fields = [f for f in asked.split(",") if f]
        if not fields or any(f not in RevealLog.Field.values for f in fields):
            raise ApiError("invalid_parameter", zh="reveal 只能是 id_number、phone 或二者（以逗号分隔）。",
                           en="reveal takes id_number, phone, or both (comma-separated).")
        if not may_reveal_through(request):
            raise ApiError("reveal_not_allowed")
        reason = request.query_params.get("reason", "")
        return {field: run_service(lambda field=field: household_services.sensitive_reveal(
            user=request.user, resident=resident, field=field, reason=reason, ip=client_ip(request)))
            for field in dict.fromkeys(fields)}


def _visits(user):
    households = Household.objects.visible_to(user).only("pk")
    return Visit.objects.prefetch_related(Prefetch("households", queryset=households, to_attr="shown_households"))


@extend_schema_view(
    list=extend_schema(summary="Visits (走访/民情日记)", parameters=[UPDATED_SINCE]),
    retrieve=extend_schema(summary="A visit"),
    create=extend_schema(
        summary="Log a visit (the web's visit form and service: the same checks)",
        request=s.VisitWriteSerializer, responses={201: s.VisitSerializer}, parameters=[IDEMPOTENCY_KEY],
    ),
)
class VisitViewSet(mixins.CreateModelMixin, ScopedViewSet):
    queryset = Visit.objects.all()
    serializer_class = s.VisitSerializer

    def base_queryset(self):
        return _visits(self.request.user)

    def create(self, request, *args, **kwargs):
        require(request.user, VISIT_LOGGERS)
        return idempotent(request, lambda: self._log(request))

    def _log(self, request) -> Response:
        user = request.user
        form = VisitForm(form_data(request), user=user)
        if not form.is_valid():
            raise ApiError("invalid", fields=form_errors(form))
        households = form.cleaned_data["households"]
        sections = sections_for(user, form_data(request), households=households)
        if not all([section.is_valid() for section in sections]):
            raise ApiError("invalid", fields={k: v for section in sections for k, v in form_errors(section).items()})
        try:
            visit = run_service(lambda: _visit_save(form, sections, user))
        except SectionRefused as exc:
            raise ApiError("invalid", fields={k: v for section in sections
                                              for k, v in form_errors(section).items()}) from exc
        visit = _visits(user).get(pk=visit.pk)
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


def _visit_save(form: VisitForm, sections: list, user: User) -> Visit:
    """As the web's visit form saves (households/visit_views.py): the visit, its demand and the other apps'
    sections, all or nothing."""
    data = form.cleaned_data
    with transaction.atomic():
        visit = household_services.visit_log(
            by=user, households=data["households"], visited_on=data["visited_on"], method=data["method"],
            topics=form.topics, notes=data["notes"], photos=[], demand=form.demand,
        )
        sections_save(sections, visit=visit, by=user)
    return visit


@extend_schema_view(
    list=extend_schema(summary="Demands (诉求台账)", parameters=[UPDATED_SINCE]),
    retrieve=extend_schema(summary="A demand"),
    create=extend_schema(
        summary="Log a demand heard by phone or in person (the web's 登记诉求 form and service)",
        request=s.DemandWriteSerializer, responses={201: s.DemandSerializer}, parameters=[IDEMPOTENCY_KEY],
    ),
)
class DemandViewSet(mixins.CreateModelMixin, ScopedViewSet):
    queryset = Demand.objects.all()
    serializer_class = s.DemandSerializer

    def base_queryset(self):
        return Demand.objects.select_related("category")

    def create(self, request, *args, **kwargs):
        require(request.user, REGISTRY_EDITORS)
        return idempotent(request, lambda: self._log(request))

    def _log(self, request) -> Response:
        form = DemandLogForm(form_data(request), user=request.user)
        if not form.is_valid():
            raise ApiError("invalid", fields=form_errors(form))
        demand = run_service(lambda: household_services.demand_log(by=request.user, **form.cleaned_data))
        demand = self.base_queryset().get(pk=demand.pk)
        return Response(s.DemandSerializer(demand).data, status=status.HTTP_201_CREATED)


def run_service(call):
    """``call()`` (a service of the web's), its ValidationError answered as a 400 in both languages.

    The services say why in the active language only (gettext): the refused call is made once more in English, in a
    transaction rolled back (a refusal changes nothing; were it to pass the second time, nothing of it is kept)."""
    try:
        with translation.override("zh-hans"):
            return call()
    except ValidationError as exc:
        zh = exc.messages
    en = zh
    try:
        with transaction.atomic(), translation.override("en"):
            call()
            transaction.set_rollback(True)
    except ValidationError as exc:
        en = exc.messages if len(exc.messages) == len(zh) else zh
    raise ApiError("invalid", fields={"__all__": [{"message_zh": z, "message_en": e} for z, e in zip(zh, en, strict=True)]})


def require(user, roles) -> None:
    if not user.has_role(*roles):
        raise ApiError("permission_denied")


def form_data(request) -> dict:
    """The body as a form's data: a JSON object (lists kept as lists, booleans as the form's check boxes read them),
    or a form body as it is."""
    data = request.data
    if hasattr(data, "getlist"):
        return data
    if not isinstance(data, dict):
        raise ApiError("parse_error", zh="请求内容须为 JSON 对象。", en="The body must be a JSON object.")
    out = {}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                out[key] = "on"
        elif value is None:
            continue
        elif isinstance(value, list):
            out[key] = [str(v) for v in value]
        else:
            out[key] = str(value)
    return _ListData(out)


class _ListData(dict):
    """A plain dict that answers ``getlist`` as a QueryDict does (the forms' multiple-choice widgets ask for it)."""

    def getlist(self, key, default=None):
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]


@read_only("Disputes (矛盾纠纷)")
class DisputeViewSet(ScopedViewSet):
    queryset = Dispute.objects.all()
    serializer_class = s.DisputeSerializer


@read_only("Petitions (信访件)")
class PetitionViewSet(ScopedViewSet):
    queryset = Petition.objects.all()
    serializer_class = s.PetitionSerializer


@read_only("Hazards (安全隐患)")
class HazardViewSet(ScopedViewSet):
    queryset = Hazard.objects.all()
    serializer_class = s.HazardSerializer

    def base_queryset(self):
        return Hazard.objects.select_related("field")


@read_only("Monitoring cases (防返贫监测)")
class MonitoringCaseViewSet(ScopedViewSet):
    queryset = MonitoringCase.objects.all()
    serializer_class = s.MonitoringCaseSerializer

    def base_queryset(self):
        return MonitoringCase.objects.select_related("type")


@read_only("Responsibility assignments (包案)")
class AssignmentViewSet(ScopedViewSet):
    queryset = ResponsibilityAssignment.objects.all()
    serializer_class = s.AssignmentSerializer
    refused_roles = (User.Role.HOUSEHOLD_HEAD,)  # as the web's 包案 list (dashboards)

    def base_queryset(self):
        return ResponsibilityAssignment.objects.select_related("case_type")
