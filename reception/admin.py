from django.contrib import admin

from .models import Leader, Rule, Session, Swap


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "post", "portfolio", "township", "is_active"]
    list_filter = ["township", "is_active"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "township", "weekday", "day_of_month", "market_digits", "lunar", "is_active"]
    filter_horizontal = ["leaders"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "start", "kind", "place", "township", "status"]
    list_filter = ["township", "status", "kind"]
    filter_horizontal = ["leaders"]


admin.site.register(Swap)
