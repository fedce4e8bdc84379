"""The order row lock, proven by forcing the interleaving instead of hoping a race shows it.

A thread-storm test passed in 6 of 8 runs without the lock; here one transaction fulfils the
order and keeps it locked while a second fulfilment starts. The second must be seen waiting
on the order row lock (pg_stat_activity), and once released it must find the order paid.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from learning.models import Enrollment
from purchases.gateways import CheckoutSession
from purchases.models import Order, OrderEvent
from purchases.services.fulfilment import fulfil_order
from tests.purchases.factories import OrderFactory, session_object

WAIT = 10  # seconds; generous for a loaded machine, and only spent when the test fails


def waiting_query(pid: int) -> str | None:
    """The statement the backend `pid` is blocked in on a lock, if it is blocked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
            [pid],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def wait_until_blocked(pids: list[int], done: threading.Event) -> str | None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and not done.is_set():
        if pids and (query := waiting_query(pids[0])):
            return query
        time.sleep(0.02)
    return None


@pytest.mark.django_db(transaction=True)
def test_a_second_fulfilment_waits_for_the_order_lock_and_enrols_once(mailoutbox):
    order = OrderFactory()
    session = CheckoutSession.from_stripe(session_object(order))
    first_holds_lock, release, second_done = threading.Event(), threading.Event(), threading.Event()
    second_pid: list[int] = []
    errors: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():
                fulfil_order(order_id=order.pk, session=session, cause="first")
                first_holds_lock.set()
                release.wait(WAIT)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            first_holds_lock.set()
            connection.close()

    def second():
        try:
            first_holds_lock.wait(WAIT)
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            fulfil_order(order_id=order.pk, session=session, cause="second")
        except BaseException as exc:
            errors.append(exc)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        blocked_in = wait_until_blocked(second_pid, second_done)
    finally:
        release.set()
        for thread in threads:
            thread.join(WAIT * 2)

    assert not errors
    # The second fulfilment waited, and on reading the order: a plain SELECT never waits for a
    # row lock, so this is lock_order's SELECT ... FOR UPDATE (pg_stat_activity cuts long
    # statements short, so the FOR UPDATE at the end may not be shown). Without that lock it
    # would only wait later, on its UPDATE of the row, after reading it as still pending.
    assert blocked_in is not None, "the second fulfilment did not wait for the first"
    assert blocked_in.startswith('SELECT "purchases_order"."id"'), blocked_in[:80]
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert Enrollment.objects.filter(user=order.user, course=order.course).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert len(mailoutbox) == 1
