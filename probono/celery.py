"""The Celery app: configured from Django settings (CELERY_* names), tasks auto-discovered."""

import logging
import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings.dev")

app = Celery("probono")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


log = logging.getLogger(__name__)


def enqueue_after_commit(task, *args):
    """Send the task once the transaction commits; a broker failure is logged, never raised.

    Nothing is lost when the broker is down: periodic tasks catch up (the full pass picks up
    every need still lacking proposals, the e-mail sweep sends what was not sent).
    """

    def send():
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 - the request must succeed whatever the broker does
            log.warning("could not enqueue %s%s; a periodic task will catch up", task.name, args,
                        exc_info=True)  # fmt: skip

    transaction.on_commit(send)


@app.task(name="probono.ping")
def ping():
    """A task with no side effect: proves a worker consumes from the broker and answers."""
    return "pong"
