"""The field catalogue (领域) a township starts with, from seed 004 and 均坪镇's list. Migration 0002 seeds it (with its
own frozen copy); ``ensure_fields`` puts back what is missing (the demo of an emptied database)."""

from __future__ import annotations

from core.catalogue import ensure_catalogue

FIELDS = [
    ("fire", "用火用电/消防"), ("gas", "燃气"), ("traffic", "道路交通"), ("self-built", "农村自建房"),
    ("fireworks", "烟花爆竹"), ("food-drugs", "食品药品"), ("mining", "非煤矿山"), ("equipment", "特种设备"),
    ("forest-fire", "森林防火"), ("geology", "地质灾害"), ("drowning", "防溺水"), ("environment", "人居环境"),
    ("other", "其他"),
]


def ensure_fields() -> dict:
    """The catalogue by code, with any field of the starting list that is missing added (none is changed)."""
    from .models import HazardField

    return ensure_catalogue(HazardField, FIELDS)
