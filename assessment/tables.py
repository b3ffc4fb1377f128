import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Evaluation, Run, Scheme


class RunTable(tables.Table):
    subject_name = tables.Column(linkify=("assessment:run-detail", {"pk": tables.A("pk")}))
    period_start = tables.DateColumn(format="Y-m", verbose_name=_("period"))
    village = tables.Column(accessor="village__name", verbose_name=_("village"), default="—")
    scheme = tables.Column(accessor="scheme__name", verbose_name=_("assessment scheme"))
    stars = tables.Column(verbose_name=_("stars"))

    class Meta:
        model = Run
        fields = ["subject_name", "village", "period_start", "scheme", "status", "score", "stars", "grade"]
        row_attrs = {"data-testid": "run-row"}
        empty_text = _("No assessments.")

    def render_stars(self, record):
        return record.star_text


class SchemeTable(tables.Table):
    name = tables.Column(linkify=("assessment:scheme-detail", {"pk": tables.A("pk")}))
    approved_by = tables.Column(default="—")

    class Meta:
        model = Scheme
        fields = ["name", "subject_kind", "period", "full_score", "effective_from", "effective_to", "approved_by"]
        empty_text = _("No schemes.")


class EvaluationTable(tables.Table):
    household = tables.Column(accessor="household__head_name", verbose_name=_("household"))
    village = tables.Column(accessor="household__grid__village__name", verbose_name=_("village"))
    rated = tables.Column(empty_values=(), orderable=False, verbose_name=_("rated"))
    recorded_by = tables.Column(verbose_name=_("recorded by"))

    class Meta:
        model = Evaluation
        fields = ["on", "village", "household", "rated", "way", "result", "reason", "recorded_by"]
        row_attrs = {"data-testid": "evaluation-row"}
        empty_text = _("No evaluations.")

    def render_rated(self, record):
        return record.head.name if record.head_id else str(record.worker)
