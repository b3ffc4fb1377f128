from django.contrib import admin

from .models import Appeal, Evaluation, Item, ManualScore, Run, Scheme


class ItemInline(admin.TabularInline):
    model = Item
    extra = 1


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "subject_kind", "period", "full_score", "effective_from", "approved_by"]
    list_filter = ["township", "subject_kind", "period"]
    inlines = [ItemInline]
    readonly_fields = ["approved_by", "approved_at"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["subject_name", "scheme", "period_start", "status", "score", "stars", "grade"]
    list_filter = ["status", "grade", "scheme"]
    readonly_fields = ["snapshot", "computed_at", "score", "stars", "grade"]


admin.site.register(ManualScore)
admin.site.register(Appeal)
admin.site.register(Evaluation)
