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
        if not pks:
            self.stdout.write("Nothing to process.")
        else:
            self._process(pks, progress=options["verbosity"] >= 1)
        if reconcile:
            count = reconcile_pending_orders()
            self.stdout.write(f"{count} pending orders reconciled.")

    def _process(self, pks: list[int], *, progress: bool) -> None:
        ignored, failures = 0, []
        for pk in tqdm(pks, disable=not progress, file=self.stderr, unit="event"):
            event = process_event(event_pk=pk)
            if event is None or event.status == WebhookEvent.Status.FAILED:
                failures.append(event)
            elif event.status == WebhookEvent.Status.IGNORED:
                ignored += 1
        summary = f"{len(pks) - len(failures)} processed, {len(failures)} failed."
        if ignored:
            summary += f" ({ignored} ignored: not about an order of ours, or nothing to change.)"
        self.stdout.write(summary)
        for event in failures:
            if event is not None:
                self.stdout.write(f"  {event.stripe_event_id} {event.type}: {event.last_error}")
