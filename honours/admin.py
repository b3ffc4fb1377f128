from django.contrib import admin

from .models import ListDefinition


@admin.register(ListDefinition)
class ListDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "subject", "metric", "period", "is_active"]
