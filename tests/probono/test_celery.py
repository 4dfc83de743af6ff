"""Celery is wired for real: a worker on the Redis broker runs tasks and returns results."""

import pytest

from probono.celery import ping


@pytest.mark.broker
def test_a_real_worker_returns_a_task_result(celery_worker):
    """A task sent through Redis is executed by a worker and its result comes back."""
    assert ping.delay().get(timeout=20) == "pong"


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies(settings):
    """A task lost with its worker goes back to the queue instead of vanishing."""
    from probono.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
