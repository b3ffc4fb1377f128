from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made on the token page (/api/tokens/, shown once); here they are read and revoked."""

    list_display = ("name", "kind", "key_prefix", "user", "township", "county", "access", "may_reveal",
                    "last_used_at", "revoked_at")
    list_filter = ("kind", "access", "may_reveal")
    search_fields = ("name", "key_prefix", "user__username")
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the chosen tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(by=request.user, token=token)
        messages.success(request, _("The token was revoked: it no longer works."))
