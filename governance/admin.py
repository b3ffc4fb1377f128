from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarDay,
    County,
    Grid,
    GridMerge,
    HeadTerm,
    HouseholdHead,
    Township,
    User,
    Village,
)
from .structure import user_scope_changed


@admin.register(User)
class LhtUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("联户通", {"fields": ("role", "display_name", "phone", "county", "township", "villages", "grids", "household_head",
                              "wecom_userid", "dingtalk_unionid")}),
    )
    list_display = ("username", "display_name", "role", "county", "township", "is_active")
    list_filter = ("role", "county", "township", "is_active")
    filter_horizontal = ("villages", "grids")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # a new login's first password was chosen by the administrator
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        """A password an administrator sets for someone else is theirs to replace at the next sign-in."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            User.objects.filter(pk=id).exclude(pk=request.user.pk).update(must_change_password=True)
        return response

    def save_related(self, request, form, formsets, change):
        """A scope changed in the admin ends the user's sessions too (the role is in the session hash already)."""
        user = form.instance
        before = (set(user.villages.values_list("pk", flat=True)), set(user.grids.values_list("pk", flat=True)))
        super().save_related(request, form, formsets, change)
        after = (set(user.villages.values_list("pk", flat=True)), set(user.grids.values_list("pk", flat=True)))
        if change and (before != after or "household_head" in form.changed_data):
            user_scope_changed(user=user)


@admin.register(Township)
class TownshipAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "county")
    list_filter = ("county",)


for model in (County, Village, Grid, GridMerge, HouseholdHead, HeadTerm, CalendarDay):
    admin.site.register(model, SimpleHistoryAdmin)
