"""Process stored payment events that are still unprocessed (what the beat task does)."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from purchases.models import WebhookEvent
from purchases.services.reconcile import reconcile_pending_orders
from purchases.services.webhooks import due_events, process_event


class Command(BaseCommand):
    help = "Process unprocessed Stripe events now; --all includes events past their retries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also events not yet due or that used up their automatic retries.",
        )
        parser.add_argument(
            "--reconcile", action="store_true", help="Also ask the provider about stale orders."
        )

    def handle(self, *args, all: bool = False, reconcile: bool = False, **options):
        pks = list(due_events(include_exhausted=all).values_list("pk", flat=True))
        failed = 0
        for pk in tqdm(pks, disable=not pks or options["verbosity"] < 1, file=self.stderr):
            event = process_event(event_pk=pk)
            failed += event is None or event.status == WebhookEvent.Status.FAILED
        self.stdout.write(f"{len(pks) - failed} processed, {failed} failed.")
        if reconcile:
            count = reconcile_pending_orders()
            self.stdout.write(f"{count} pending orders reconciled.")
