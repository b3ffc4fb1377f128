"""Admin for the registry. ID numbers and phones are not shown here: full values are seen only through the
logged reveal on the household page."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Demand, DemandCategory, Household, Resident, RevealLog, RosterImport, Tag, Visit
from .summary import refresh_summary


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "category", "applies_to_households", "sort_order")


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("head_name", "house_number", "grid", "household_head", "residence_type")
    list_select_related = ("grid__village", "household_head")
    raw_id_fields = ("grid", "household_head")
    search_fields = ("search_text",)  # head, house number, address and members' names (households/summary.py)

    # Through the services, which lock the household and refresh its summary; the tags the form saves after the row
    # are counted in save_related (still in the admin's transaction, the household still locked).
    def save_model(self, request, obj, form, change):
        services.household_save(household=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_summary([form.instance.pk])


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "masked_id_number", "masked_phone", "relation", "status", "household")
    list_select_related = ("household",)
    exclude = ("id_number", "phone")
    readonly_fields = ("masked_id_number", "masked_phone", "birth_date", "gender")
    raw_id_fields = ("household", "township")
    search_fields = ("name",)

    # As HouseholdAdmin: through the services, the form's tags counted after they are saved.
    def save_model(self, request, obj, form, change):
        if change:
            services.resident_update(resident=obj)
        else:
            services.resident_create(resident=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_summary([form.instance.household_id])

    def delete_model(self, request, obj):
        services.resident_delete(resident=obj)

    def delete_queryset(self, request, queryset):
        for resident in queryset:
            services.resident_delete(resident=resident)


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ("visited_on", "method", "grid", "visitor", "visitor_head")
    list_select_related = ("grid__village", "visitor", "visitor_head")
    raw_id_fields = ("grid", "households", "visitor", "visitor_head")
    date_hierarchy = "visited_on"


@admin.register(Demand)
class DemandAdmin(SimpleHistoryAdmin):
    list_display = ("number", "content", "status", "level", "category", "deadline", "grid", "created_at")
    list_filter = ("status", "level", "category", "channel")
    raw_id_fields = ("visit", "household", "grid", "raised_by", "owner", "township")


@admin.register(DemandCategory)
class DemandCategoryAdmin(admin.ModelAdmin):
    """诉求类别 are data: renamed, reordered or retired here (a retired one stays on the demands that carry it)."""

    list_display = ("name", "code", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(RevealLog)
class RevealLogAdmin(admin.ModelAdmin):
    """The log is only ever added to, by the reveal itself."""

    list_display = ("at", "user", "subject", "field", "reason", "ip_address")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "status", "uploaded_by", "total_rows", "created_residents", "created_at")
    exclude = ("rows",)
    readonly_fields = ("problems", "warnings", "bad_rows")
