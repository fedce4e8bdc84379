"""Invoice the orders paid before invoices existed (run once after upgrading)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from purchases.models import Order
from purchases.services.invoices import issue_invoice
from purchases.services.transitions import lock_order

INVOICED_STATUSES = [Order.Status.PAID, Order.Status.REFUNDED, Order.Status.DISPUTED]


class Command(BaseCommand):
    help = "Issue invoices, dated today, for orders paid before invoicing; in order of payment."

    def handle(self, *args, **options):
        pks = list(
            Order.objects.filter(
                status__in=INVOICED_STATUSES, paid_at__isnull=False, invoice__isnull=True
            )
            .order_by("paid_at", "id")
            .values_list("pk", flat=True)
        )
        for pk in tqdm(pks, disable=options["verbosity"] < 1 or not pks, unit="order"):
            # One transaction per order, with the order locked as fulfilment does.
            with transaction.atomic():
                issue_invoice(order=lock_order(pk))
        self.stdout.write(f"{len(pks)} invoices issued.")
