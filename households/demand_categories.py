"""The demand categories (诉求类别) a township starts with: what residents ask for on visits, in the words of the
township's 民情台账. Migration 0016 seeds them (with its own frozen copy); ``ensure_demand_categories`` puts back what is
missing after a flush (none is changed: an administrator may rename or retire a category in the admin)."""

from __future__ import annotations

from core.catalogue import ensure_catalogue

CATEGORIES = [
    ("policy", "政策咨询"), ("income", "就业增收"), ("social-security", "社会保障"), ("medical", "医疗卫生"),
    ("education", "教育"), ("housing", "住房安全"), ("infrastructure", "水电路等基础设施"),
    ("environment", "人居环境"), ("land", "土地山林"), ("dispute", "矛盾调处"), ("other", "其他"),
]


def ensure_demand_categories() -> None:
    from .models import DemandCategory

    ensure_catalogue(DemandCategory, CATEGORIES)
