from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarDay, Grid, HouseholdHead, ResponsibilityAssignment, Township, User, Village


@admin.register(User)
class LhtUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("联户通", {"fields": ("role", "display_name", "phone", "township", "villages", "grids", "household_head")}),
    )
    list_display = ("username", "display_name", "role", "township", "is_active")
    list_filter = ("role", "township", "is_active")
    filter_horizontal = ("villages", "grids")


for model in (Township, Village, Grid, HouseholdHead, CalendarDay, ResponsibilityAssignment):
    admin.site.register(model, SimpleHistoryAdmin)
