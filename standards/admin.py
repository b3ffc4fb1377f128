from django.contrib import admin

from .models import CodeValue, DataElement


@admin.register(CodeValue)
class CodeValueAdmin(admin.ModelAdmin):
    list_display = ("table", "table_title", "our_value", "code", "label")
    list_filter = ("standard", "table")
    search_fields = ("our_value", "code", "label")


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ("dataset", "position", "name", "source", "code_table", "required", "sensitive")
    list_filter = ("standard", "dataset")
