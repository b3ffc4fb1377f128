"""Build the demo township: ``manage.py seed_demo [--households N] [--seed S] [--force | --if-empty]``."""

import datetime as dt
import importlib
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from governance.demo import DemoContext
from governance.models import Township

# Dependency order; an app without a demo.py is skipped.
DEMO_APPS = ["governance", "households", "disputes", "petitions"]


class Command(BaseCommand):
    help = "Load a realistic demo township (Chinese names, valid ID numbers, cases in every state)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=2000, help="how many households (up to 300,000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed: the same seed gives the same data")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the demo's today (YYYY-MM-DD)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--force", action="store_true", help="add a demo township even when data exists")
        group.add_argument("--if-empty", action="store_true", help="do nothing (and succeed) when data exists")

    def handle(self, *args, households, seed, today, force, if_empty, **options):
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
        ctx = DemoContext(rng=random.Random(seed), households=households, today=today or timezone.localdate())
        started = time.monotonic()
        with transaction.atomic():
            for label in DEMO_APPS:
                if not apps.is_installed(label):
                    continue
                try:
                    module = importlib.import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{label}.demo":
                        continue
                    raise
                module.seed(ctx)
        for line in ctx.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Demo township {ctx.township} loaded in {time.monotonic() - started:.1f} s."))
