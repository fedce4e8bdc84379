"""core.tasks.enqueue: tasks named by services that their own tasks module imports."""

import pytest
from django.core import mail
from django.db import transaction

from core.tasks import enqueue, task_named

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_is_found_by_its_name():
    from purchases import tasks

    # shared_task hands the module a proxy of the registered task.
    assert task_named("purchases.tasks.send_receipt") == tasks.send_receipt


def test_a_task_enqueued_by_name_runs_after_commit():
    with transaction.atomic():
        transaction.on_commit(
            lambda: enqueue(
                "core.tasks.deliver_email",
                to=["learner@example.com"],
                subject="By name",
                text="Body",
                html=None,
                from_email="hello@example.com",
            )
        )
        assert mail.outbox == []

    [message] = mail.outbox
    assert message.subject == "By name"


def test_a_name_no_app_defines_is_an_error_not_a_logged_outage():
    with pytest.raises(KeyError):
        enqueue("purchases.tasks.no_such_task", 1)
