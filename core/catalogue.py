"""Catalogues kept as data (a hazard's 领域, a demand's 类别, a policy for 宣传 …): a code, a name, a position and whether
it is still offered. A migration seeds each catalogue with its own frozen copy; ``ensure_catalogue`` puts back what is
missing after a flush (none is changed: an administrator may rename or retire an entry in the admin)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueEntry(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


def ensure_catalogue(model: type[CatalogueEntry], entries: list[tuple[str, str]]) -> dict:
    """The catalogue by code, with any entry of the starting list (code, name) that is missing added."""
    for position, (code, name) in enumerate(entries, start=1):
        model.objects.get_or_create(code=code, defaults={"name": name, "position": position * 10})
    return {entry.code: entry for entry in model.objects.all()}
