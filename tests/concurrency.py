"""The race tests' one harness: steps run at the same moment in threads, each with its own
database connection, so that PostgreSQL's row and advisory locks are what keeps them apart."""

import threading

import pytest
from django.db import connection, connections

# Far above a round's few hundred milliseconds: a thread still running after it is stuck.
TIMEOUT = 60

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's: DATABASE_URL"
)


def collide(calls, refused=()):
    """Run each (function, args) in its own thread, all released at once by a barrier; their
    outcomes in order: ("ok", result), ("refused", message) for an exception of `refused`,
    ("error", repr) for any other. A thread still running after TIMEOUT fails the test."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, function, args):
        try:
            barrier.wait(timeout=TIMEOUT)
            outcomes[i] = ("ok", function(*args))
        except refused as refusal:
            outcomes[i] = ("refused", str(refusal))
        except Exception as error:  # noqa: BLE001 - the test reports any other error
            outcomes[i] = ("error", repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, function, args), daemon=True)
        for i, (function, args) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes


def errors_of(outcomes):
    return [detail for kind, detail in outcomes if kind == "error"]
