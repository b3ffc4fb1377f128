"""The mapping of our records to a national data standard (GB/T 31000-2015), kept as data: the data elements of each
data set (the standard's element name, where our value comes from, whether it is required) and the code tables (our
value → the standard's code). Loaded from a versioned file (standards/data/*.json, ``manage.py load_standard``) and
editable in the admin, so a county whose platform uses other codes changes a row, not the code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataElement(models.Model):
    standard = models.CharField(_("data standard"), max_length=32)
    dataset = models.CharField(_("data set"), max_length=32)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("element name"), max_length=64)
    source = models.CharField(_("our field"), max_length=64)
    code_table = models.CharField(_("code table"), max_length=32, blank=True)
    required = models.BooleanField(_("required element"), default=False)
    sensitive = models.CharField(_("sensitive element"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["standard", "dataset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "dataset", "position"], name="standards_dataelement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.position} {self.name}"


class CodeValue(models.Model):
    standard = models.CharField(_("data standard"), max_length=32)
    table = models.CharField(_("code table"), max_length=32)
    table_title = models.CharField(_("code table name"), max_length=64, blank=True)
    our_value = models.CharField(_("our value"), max_length=64)
    code = models.CharField(_("standard code"), max_length=16)
    label = models.CharField(_("standard meaning"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("code value")
        verbose_name_plural = _("code values")
        ordering = ["standard", "table", "code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "table", "our_value"], name="standards_codevalue_once"),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.our_value} → {self.code}"
