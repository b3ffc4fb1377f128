"""What each resource shows. Related rows are given by id (and a name where a client needs one to show the row);
every related row a serializer reads is loaded by its view's queryset (select_related / prefetch), so a page costs
the same number of queries at 10 rows and at 500. ID numbers and phones are masked unless revealed (views.py)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.models import ResponsibilityAssignment
from core.masking import mask_id_number, mask_phone
from disputes.models import Dispute
from governance.models import Grid, HouseholdHead, Township, Village
from hazards.models import Hazard
from households.models import Demand, Household, Resident, Visit
from monitoring.models import MonitoringCase
from petitions.models import Petition

STAMPS = ("created_at", "updated_at")


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ("id", "name", "code", "county", *STAMPS)


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ("id", "township", "name", "code", "kind", *STAMPS)


class GridSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grid
        fields = ("id", "village", "name", "leader", "merged_into", "merged_at", *STAMPS)


class HeadSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdHead
        fields = ("id", "grid", "name", "phone", "appointed_on", "term_ends_on", "certificate_number", "status",
                  "ended_on", *STAMPS)

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, head) -> str:
        return mask_phone(head.phone)


class TagCodesField(serializers.Field):
    """The codes of the tags the reader may see (prefetched as ``shown_tags``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return [tag.code for tag in obj.shown_tags]


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagCodes(TagCodesField):
    pass


class HouseholdSerializer(serializers.ModelSerializer):
    tags = TagCodes()

    class Meta:
        model = Household
        fields = ("id", "grid", "household_head", "head_name", "address", "house_number", "residence_type",
                  "member_count", "last_visited_on", "tags", *STAMPS)


class ResidentSerializer(serializers.ModelSerializer):
    """``id_number`` and ``phone`` masked (first 6 and last 4 digits; 3 and 4 of a phone) unless the request revealed
    them (``revealed``: the fields shown in full, each logged in the reveal log)."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    revealed = serializers.SerializerMethodField()
    tags = TagCodes()

    class Meta:
        model = Resident
        fields = ("id", "household", "name", "gender", "birth_date", "id_number", "phone", "relation", "status",
                  "tags", "revealed", *STAMPS)

    def _revealed(self) -> dict:
        return self.context.get("revealed") or {}

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, resident) -> str:
        return self._revealed().get("id_number") or mask_id_number(resident.id_number)

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, resident) -> str:
        return self._revealed().get("phone") or mask_phone(resident.phone)

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": ["id_number", "phone"]}})
    def get_revealed(self, resident) -> list[str]:
        return sorted(self._revealed())


class VisitSerializer(serializers.ModelSerializer):
    households = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ("id", "grid", "households", "visitor", "visitor_head", "visited_on", "method", "topic_living",
                  "topic_production", "topic_policy", "topic_development", "notes", *STAMPS)

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_households(self, visit) -> list[int]:
        # Of the visit's households, those the reader sees (a household head: their own), prefetched.
        return [h.pk for h in visit.shown_households]


class DemandSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Demand
        fields = ("id", "number", "status", "visit", "household", "grid", "channel", "content", "level", "category",
                  "owner", "outcome", "note", "deadline", "completed_on", "closed_at", "raised_by", *STAMPS)


class DisputeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dispute
        fields = ("id", "number", "title", "kind", "source", "township", "village", "grid", "risk", "level", "status",
                  "registered_on", "method", "outcome", "resolved_level", "closed_at", "people_involved", *STAMPS)


class PetitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Petition
        fields = ("id", "number", "township", "village", "household", "received_on", "channel", "subject",
                  "head_count", "skip_level", "status", "acceptance_due_on", "accepted_on", "handling_due_on", "due_on",
                  "replied_on", "satisfaction", "closed_at", *STAMPS)


class HazardSerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Hazard
        fields = ("id", "number", "township", "village", "grid", "household", "place", "field", "grade", "source",
                  "description", "status", "found_on", "deadline", "completed_on", "closed_at", *STAMPS)


class MonitoringCaseSerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MonitoringCase
        fields = ("id", "number", "township", "village", "grid", "household", "type", "source", "status", "found_on",
                  "verified_on", "decided_on", "eliminated_on", *STAMPS)


class AssignmentSerializer(serializers.ModelSerializer):
    case_type = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibilityAssignment
        fields = ("id", "case_type", "case_id", "case_label", "township", "village", "grid", "lead",
                  "responsible_unit", "deadline", "is_open", "closed_at", "at_county", "supervision_level", *STAMPS)

    @extend_schema_field({"type": "string", "enum": ["disputes.dispute", "petitions.petition", "hazards.hazard",
                                                     "monitoring.monitoringcase", "households.demand"]})
    def get_case_type(self, assignment) -> str:
        return f"{assignment.case_type.app_label}.{assignment.case_type.model}"


# --- Writes: the offline phone client's visits and demands --------------------------------------------------------


class VisitWriteSerializer(serializers.Serializer):
    """For the schema only: the body is checked by the web's own VisitForm (households/forms.py)."""

    households = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    visited_on = serializers.DateField()
    method = serializers.ChoiceField(choices=Visit.Method.choices, default=Visit.Method.IN_HOME)
    topic_living = serializers.BooleanField(default=False)
    topic_production = serializers.BooleanField(default=False)
    topic_policy = serializers.BooleanField(default=False)
    topic_development = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    demand_raised = serializers.BooleanField(default=False)
    demand_content = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    demand_category = serializers.IntegerField(required=False, allow_null=True)
    demand_level = serializers.ChoiceField(choices=Demand.Level.choices, required=False)


class DemandWriteSerializer(serializers.Serializer):
    """For the schema only: the body is checked by the web's own DemandLogForm (households/forms.py)."""

    household = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=[c for c in Demand.Channel.choices if c[0] != Demand.Channel.VISIT])
    content = serializers.CharField(max_length=2000)
    category = serializers.IntegerField(required=False, allow_null=True)
    level = serializers.ChoiceField(choices=Demand.Level.choices, default=Demand.Level.VILLAGE)
