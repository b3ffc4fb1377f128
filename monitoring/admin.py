from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DetailReveal,
    Measure,
    MeasureCategory,
    MonitoringCase,
    MonitoringLine,
    MonitoringType,
    RiskKind,
    SecurityCheck,
)


@admin.register(MonitoringType, RiskKind)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order", "active")


@admin.register(MeasureCategory)
class MeasureCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "sort_order", "active")


@admin.register(MonitoringLine)
class MonitoringLineAdmin(admin.ModelAdmin):
    list_display = ("year", "amount")


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    raw_id_fields = ("owner",)


@admin.register(MonitoringCase)
class MonitoringCaseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "household", "village", "type", "status", "found_on")
    list_filter = ("status", "type")
    raw_id_fields = ("household", "contact", "registered_by", "visit", "found_in_return")
    readonly_fields = ("number", "status")
    inlines = [MeasureInline]


@admin.register(SecurityCheck)
class SecurityCheckAdmin(SimpleHistoryAdmin):
    list_display = ("case", "checked_on", "housing_grade", "water_ok")
    raw_id_fields = ("case", "visit", "checked_by")


@admin.register(DetailReveal)
class DetailRevealAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "subject", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
