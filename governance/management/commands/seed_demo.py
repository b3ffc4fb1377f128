"""Build the demo township: ``manage.py seed_demo [--households N] [--seed S] [--force | --if-empty]``."""

import datetime as dt
import importlib
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from governance.demo import DemoContext, seed_county
from governance.models import Township

# Dependency order; an app without a demo.py is skipped.
DEMO_APPS = ["governance", "households", "disputes", "petitions", "hazards", "casework", "monitoring", "reception", "outreach",
             "honours", "assessment"]


class Command(BaseCommand):
    help = "Load a realistic demo township (Chinese names, valid ID numbers, cases in every state)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=2000, help="how many households in all (up to 300,000)")
        parser.add_argument("--townships", type=int, default=1, help="a county (平武县, with county logins): this many townships share the households")
        parser.add_argument("--visits", type=int, default=None, help="how many visits in all (default: ~6 a household)")
        parser.add_argument("--disputes", type=int, default=None, help="how many disputes in all")
        parser.add_argument("--petitions", type=int, default=None, help="how many petitions in all")
        parser.add_argument("--seed", type=int, default=2026, help="random seed: the same seed gives the same data")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the demo's today (YYYY-MM-DD)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--force", action="store_true", help="add a demo township even when data exists")
        group.add_argument("--if-empty", action="store_true", help="do nothing (and succeed) when data exists")

    def handle(self, *args, households, townships, visits, disputes, petitions, seed, today, force, if_empty, **options):
        if Township.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; the demo township is not loaded again.")
                return
            if not force:
                raise CommandError("The database already has data. Use --force to add the demo township anyway.")
            if Township.objects.filter(code="510723105000").exists():
                raise CommandError("The demo township (510723105000) is already loaded.")
        if not 1 <= households <= 300_000:
            raise CommandError("--households must be between 1 and 300000.")
        if not 1 <= townships <= 20:
            raise CommandError("--townships must be between 1 and 20.")
        today = today or timezone.localdate()
        modules = _demo_modules()
        started = time.monotonic()

        def share(total):
            return None if total is None else max(1, total // townships)

        # Several townships make a county, with its own logins; one township stays on its own.
        county = seed_county() if townships > 1 else None
        for index in range(townships):
            ctx = DemoContext(
                county=county,
                rng=random.Random(seed * 1000 + index), households=max(1, households // townships), today=today,
                visits=share(visits), disputes=share(disputes), petitions=share(petitions), township_index=index,
            )
            with transaction.atomic():
                for module in modules:
                    module.seed(ctx)
            for line in ctx.log:
                self.stdout.write(f"  {ctx.township}: {line}")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s."))


def _demo_modules():
    modules = []
    for label in DEMO_APPS:
        if not apps.is_installed(label):
            continue
        try:
            modules.append(importlib.import_module(f"{label}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.demo":
                raise
    return modules
