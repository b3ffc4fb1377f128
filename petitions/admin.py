from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CloseOut, Petition, Petitioner, ProgressEntry


class PetitionerInline(admin.TabularInline):
    model = Petitioner
    extra = 0
    raw_id_fields = ("resident",)


@admin.register(Petition)
class PetitionAdmin(SimpleHistoryAdmin):
    list_display = ("number", "received_on", "channel", "subject", "village", "status", "due_on")
    list_filter = ("status", "channel", "subject", "township")
    search_fields = ("number",)
    raw_id_fields = ("household", "source_visit", "repeat_of")
    inlines = [PetitionerInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a ledger is never deleted


for model in (ProgressEntry, CloseOut):
    admin.site.register(model, SimpleHistoryAdmin)
