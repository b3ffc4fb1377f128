"""``manage.py check_summaries [--fix]``: find (and rewrite) households whose member summary drifted, for cron.

The summary (members' count, searched text, tags: households/summary.py) and the last visit are kept by the services;
anything that writes members or tags around them (a shell, a data fix in SQL) leaves them stale. Each grid's tally
(households/tally.py) is kept by the database, and is checked here all the same. Without ``--fix`` the command exits
with status 1 when it finds drift, so that cron mails it.
"""

from django.core.management.base import BaseCommand, CommandError

from households import lastvisit, tally
from households.summary import CHUNK, find_drift, refresh_summary

SHOWN = 10


class Command(BaseCommand):
    help = "Compare each household's stored member summary with its members and tags; --fix rewrites those that differ."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="recompute the summary of the households that drifted")

    def handle(self, *args, fix: bool, **options):
        drifted = list(find_drift())
        visits = lastvisit.drifted()  # the last visit kept on the row (households/lastvisit.py)
        grids = tally.drifted()  # each grid's households, residents and visits (households/tally.py)
        if not drifted and not visits and not grids:
            self.stdout.write("All household summaries are up to date.")
            return
        for count, what, ids in ((len(drifted), "household summaries", drifted),
                                 (len(visits), "households' last visits", visits),
                                 (len(grids), "grid tallies", grids)):
            if count:
                shown = ", ".join(map(str, ids[:SHOWN])) + (", …" if count > SHOWN else "")
                self.stdout.write(f"{count} {what} drifted: {shown}")
        if not fix:
            raise CommandError("Household summaries drifted; run check_summaries --fix.", returncode=1)
        for start in range(0, len(drifted), CHUNK):  # one transaction a chunk: the rows are locked while rewritten
            refresh_summary(drifted[start:start + CHUNK])
        for start in range(0, len(visits), CHUNK):
            lastvisit.refresh_last_visits(visits[start:start + CHUNK])
        if grids:
            tally.recount(grids)
        self.stdout.write(f"Rewrote {len(drifted)} household summaries, {len(visits)} last visits "
                          f"and {len(grids)} grid tallies.")
