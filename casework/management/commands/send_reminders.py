"""``manage.py send_reminders [--dry-run] [--no-deliver]``: the deadline reminder scan, once, for cron.

The same scan the Celery beat task runs. Without a worker, the email and webhook notifications that are due are
delivered here, one attempt each (a failed one waits for its backoff and the next run).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from casework import notifications, reminders
from casework.tasks import SCAN_HEARTBEAT
from core.models import Heartbeat


class Command(BaseCommand):
    help = "Scan open responsibility assignments and create the deadline reminders that are due (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="run the scan in a transaction that is rolled back: report, change nothing")
        parser.add_argument("--no-deliver", action="store_true",
                            help="do not send email and webhook notifications here (a Celery worker will)")

    def handle(self, *args, dry_run: bool, no_deliver: bool, **options):
        if dry_run:
            with transaction.atomic():
                result = reminders.scan()
                transaction.set_rollback(True)
        else:
            result = reminders.scan()
            Heartbeat.beat(SCAN_HEARTBEAT)
        self._report(result, dry_run)
        if dry_run or no_deliver:
            return
        outcomes: dict[str, int] = {}
        for notification_id in reminders.lease_due_deliveries():
            outcome = notifications.deliver(notification_id).outcome
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        for township_id in reminders.due_digests():
            digest = notifications.deliver_digest(township_id)
            outcomes["robot messages"] = outcomes.get("robot messages", 0) + digest.messages
        if outcomes:
            self.stdout.write("Deliveries: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))

    def _report(self, result: reminders.ScanResult, dry_run: bool) -> None:
        verb = "Would create" if dry_run else "Created"
        stages = ", ".join(f"{stage} {n}" for stage, n in sorted(result.by_stage.items())) or "none"
        self.stdout.write(
            f"{verb} {result.reminders} reminders for {result.today} ({stages}) "
            f"and {result.notifications} notifications."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
