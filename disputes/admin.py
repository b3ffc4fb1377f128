from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Dispute, LevelChange, MediationSession, Mediator, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    raw_id_fields = ("resident",)


class MediatorInline(admin.TabularInline):
    model = Mediator
    extra = 0
    raw_id_fields = ("user",)


class SessionInline(admin.TabularInline):
    model = MediationSession
    extra = 0
    raw_id_fields = ("recorded_by",)


class LevelChangeInline(admin.TabularInline):
    model = LevelChange
    extra = 0
    raw_id_fields = ("changed_by", "new_handler")


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "township", "village", "status", "level", "risk", "registered_on")
    list_filter = ("status", "level", "risk", "kind", "township")
    search_fields = ("number", "title")
    raw_id_fields = ("village", "grid", "registered_by", "reporting_head", "visit", "handler")
    inlines = [PartyInline, MediatorInline, SessionInline, LevelChangeInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a ledger is never deleted
