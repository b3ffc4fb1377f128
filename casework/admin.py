from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ResponsibilityAssignment

admin.site.register(ResponsibilityAssignment, SimpleHistoryAdmin)
