"""The Celery app: configured from Django settings (CELERY_* names), tasks auto-discovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings.dev")

app = Celery("probono")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="probono.ping")
def ping():
    """A task with no side effect: proves a worker consumes from the broker and answers."""
    return "pong"
