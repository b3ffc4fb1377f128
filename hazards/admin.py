from django.contrib import admin

from .models import Hazard, HazardField


@admin.register(HazardField)
class HazardFieldAdmin(admin.ModelAdmin):
    """The field catalogue is data: a township adds or retires a field here (a retired one stays on old hazards)."""

    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    ordering = ["position"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    """Read only: hazards change through their transitions, and are never deleted."""

    list_display = ["number", "township", "village", "field", "grade", "status", "found_on"]
    list_filter = ["grade", "status", "field"]
    search_fields = ["number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
