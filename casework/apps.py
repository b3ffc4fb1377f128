from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from governance.workdays import open_deadlines_counted

        from .figures import count_open_deadlines

        open_deadlines_counted.connect(count_open_deadlines, dispatch_uid="casework-open-deadlines")

        from core.todo import register

        from .todo import lines

        register("casework", lines)
