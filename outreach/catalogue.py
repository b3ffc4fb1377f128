"""The policies a township explains (宣传) to start with, from the five seed documents. Migration 0002 seeds them (with
its own frozen copy); ``ensure_policies`` puts back what is missing after a flush (none is changed: an administrator
may rename or retire a policy in the admin)."""

from __future__ import annotations

from core.catalogue import ensure_catalogue

POLICIES = [
    ("medical-insurance", "医保缴费"), ("pension", "城乡居民养老保险"), ("anti-relapse", "防返贫监测帮扶"),
    ("anti-fraud", "防范电信网络诈骗"), ("forest-fire", "森林防火"), ("electricity", "安全用电"),
    ("drowning", "防溺水"), ("anti-drug", "禁毒"), ("law", "法律法规（民法典）"), ("land", "土地政策"),
    ("other", "其他"),
]


def ensure_policies() -> dict:
    from .models import Policy

    return ensure_catalogue(Policy, POLICIES)
