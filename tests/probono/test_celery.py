"""Celery is wired for real: a worker on the Redis broker runs tasks and returns results."""

import pytest


@pytest.mark.broker
def test_a_real_worker_answers_through_the_broker(celery_worker):
    """A worker consumes from Redis and answers a control message sent through it."""
    from probono.celery import app
    from tests.processes import wait_for

    def answered():
        # The worker thread starts consuming its control queue a moment after it is "started".
        replies = app.control.ping(timeout=1)
        return {"ok": "pong"} in [answer for reply in replies for answer in reply.values()]

    assert wait_for(answered, timeout=20)


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies(settings):
    """A task lost with its worker goes back to the queue instead of vanishing."""
    from probono.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
